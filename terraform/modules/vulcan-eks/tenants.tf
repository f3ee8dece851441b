# One namespace and one InfracastInstallation per tenant. The kubernetes provider reads the CRD while planning
# a kubernetes_manifest, so the first apply of a new cluster installs the chart before any tenant: apply with
# tenants = {} first (or -target=module.<name>.helm_release.operator), then with the tenants.
resource "kubernetes_namespace_v1" "tenant" {
  for_each = var.tenants

  metadata {
    name   = "infracast-${each.key}"
    labels = { "app.kubernetes.io/part-of" = "infracast", "infracast.io/tenant" = each.key }
  }

  depends_on = [aws_eks_node_group.default]
}

resource "kubernetes_manifest" "installation" {
  for_each = var.tenants

  manifest = {
    apiVersion = "infracast.io/v1alpha1"
    kind       = "InfracastInstallation"
    metadata = {
      name      = each.key
      namespace = kubernetes_namespace_v1.tenant[each.key].metadata[0].name
    }
    spec = merge(
      {
        profile = coalesce(each.value.profile, module.settings.operator_profile)
        version = each.value.version
        database = {
          provisioner      = "ack"
          subnetIds        = module.network.data_subnet_ids
          securityGroupIds = [aws_security_group.tenant_db.id]
        }
        artifacts = {
          provisioner = "ack"
          bucketName  = local.tenant_roles["tenant-${each.key}"].bucket
          region      = local.region
        }
        serviceAccount = { roleArn = aws_iam_role.irsa["tenant-${each.key}"].arn }
      },
      # An internet-facing ALB (AWS Load Balancer Controller) reaches the pods from the VPC's addresses.
      each.value.host == null ? {} : {
        ingress = {
          host           = each.value.host
          className      = "alb"
          certificateArn = each.value.certificate_arn
          sourceCidrs    = [var.vpc_cidr]
        }
      },
    )
  }

  depends_on = [helm_release.operator]
}
