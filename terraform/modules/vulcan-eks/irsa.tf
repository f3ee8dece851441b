# IAM roles for service accounts: the cluster's OIDC issuer vouches for a pod's service account, and each role
# trusts exactly one namespace/name.
data "tls_certificate" "oidc" {
  url = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

resource "aws_iam_openid_connect_provider" "this" {
  url             = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = [data.tls_certificate.oidc.certificates[length(data.tls_certificate.oidc.certificates) - 1].sha1_fingerprint]
  tags            = var.tags
}

locals {
  oidc_issuer = trimprefix(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://")

  # The ACK controllers manage RDS instances and S3 buckets of any tenant: AWS's managed policies for them.
  ack_roles = { for c in keys(var.ack_controllers) : "ack-${c}" => {
    namespace       = "ack-system"
    service_account = "ack-${c}-controller"
    managed_policy  = { rds = "AmazonRDSFullAccess", s3 = "AmazonS3FullAccess" }[c]
  } }

  # A tenant's API pods: its own bucket and its own Secrets Manager secrets (infracast/<tenant>/...), nothing else.
  tenant_roles = { for k, t in var.tenants : "tenant-${k}" => {
    namespace       = "infracast-${k}"
    service_account = "${k}-api"
    bucket          = coalesce(t.bucket_name, "${var.name}-${k}-evidence")
    secrets         = "arn:${local.partition}:secretsmanager:${local.region}:${data.aws_caller_identity.current.account_id}:secret:infracast/${k}/*"
  } }

  irsa_roles = merge(
    { for k, r in local.ack_roles : k => { namespace = r.namespace, service_account = r.service_account } },
    { for k, r in local.tenant_roles : k => { namespace = r.namespace, service_account = r.service_account } },
  )
}

data "aws_iam_policy_document" "irsa_assume" {
  for_each = local.irsa_roles

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.this.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${each.value.namespace}:${each.value.service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "irsa" {
  for_each           = local.irsa_roles
  name_prefix        = substr("${var.name}-${each.key}-", 0, 38)
  assume_role_policy = data.aws_iam_policy_document.irsa_assume[each.key].json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "ack" {
  for_each   = local.ack_roles
  role       = aws_iam_role.irsa[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value.managed_policy}"
}

data "aws_iam_policy_document" "tenant" {
  for_each = local.tenant_roles

  statement {
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${each.value.bucket}"]
  }

  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:${local.partition}:s3:::${each.value.bucket}/*"]
  }

  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [each.value.secrets]
  }
}

resource "aws_iam_role_policy" "tenant" {
  for_each = local.tenant_roles
  name     = "infracast-api"
  role     = aws_iam_role.irsa[each.key].id
  policy   = data.aws_iam_policy_document.tenant[each.key].json
}
