# The EKS path: a three-tier VPC, an EKS cluster with a managed node group, IRSA roles, the ACK RDS and S3
# controllers and the infracast-operator chart (Helm), and one InfracastInstallation per tenant.
module "settings" {
  source = "../infracast-settings"

  environment = var.environment
}

module "network" {
  source = "../infracast-network"

  name              = var.name
  vpc_cidr          = var.vpc_cidr
  nat_gateway_count = module.settings.nat_gateway_count
  # Where the AWS Load Balancer Controller puts internet-facing and internal load balancers.
  public_subnet_tags  = { "kubernetes.io/role/elb" = "1" }
  private_subnet_tags = { "kubernetes.io/role/internal-elb" = "1" }
  tags                = var.tags
}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  node_count = coalesce(var.node_count, module.settings.eks_node_count)
}

data "aws_iam_policy_document" "assume_by_service" {
  for_each = toset(["eks", "ec2"])

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["${each.key}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name_prefix        = "${var.name}-cluster-"
  assume_role_policy = data.aws_iam_policy_document.assume_by_service["eks"].json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

resource "aws_eks_cluster" "this" {
  name     = var.name
  version  = var.kubernetes_version
  role_arn = aws_iam_role.cluster.arn
  tags     = var.tags

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = true
  }

  vpc_config {
    subnet_ids              = module.network.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = true
  }

  depends_on = [aws_iam_role_policy_attachment.cluster]
}

resource "aws_iam_role" "node" {
  name_prefix        = "${var.name}-node-"
  assume_role_policy = data.aws_iam_policy_document.assume_by_service["ec2"].json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each   = toset(["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"])
  role       = aws_iam_role.node.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.key}"
}

resource "aws_eks_node_group" "default" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "default"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = module.network.private_subnet_ids
  instance_types  = var.node_instance_types
  tags            = var.tags

  scaling_config {
    min_size     = local.node_count.min
    desired_size = local.node_count.desired
    max_size     = local.node_count.max
  }

  update_config {
    max_unavailable = 1
  }

  # The cluster autoscaler (if any) owns the running count after the first apply.
  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [aws_iam_role_policy_attachment.node]
}

# Tenants' RDS instances admit PostgreSQL from the nodes (managed node groups use the cluster security group).
resource "aws_security_group" "tenant_db" {
  name        = "${var.name}-tenant-db"
  description = "${var.name}: PostgreSQL of the tenants from the cluster's nodes"
  vpc_id      = module.network.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-tenant-db" })
}

resource "aws_vpc_security_group_ingress_rule" "tenant_db_from_nodes" {
  security_group_id            = aws_security_group.tenant_db.id
  description                  = "PostgreSQL from the cluster's nodes"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}
