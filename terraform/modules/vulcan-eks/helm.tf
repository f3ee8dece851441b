# ACK's controllers for RDS and S3 (the operator's `ack` provisioner creates their DBInstance and Bucket objects)
# and the operator itself. The helm and kubernetes providers are configured by the caller from this module's
# cluster outputs (see terraform/examples/vulcan-eks).
resource "helm_release" "ack" {
  for_each         = var.ack_controllers
  name             = "ack-${each.key}-controller"
  namespace        = "ack-system"
  create_namespace = true
  repository       = var.ack_chart_repository
  chart            = "${each.key}-chart"
  version          = each.value

  values = [yamlencode({
    aws = { region = local.region }
    serviceAccount = {
      name        = "ack-${each.key}-controller"
      annotations = { "eks.amazonaws.com/role-arn" = aws_iam_role.irsa["ack-${each.key}"].arn }
    }
  })]

  depends_on = [aws_eks_node_group.default]
}

resource "helm_release" "operator" {
  name             = "infracast-operator"
  namespace        = "infracast-system"
  create_namespace = true
  chart            = coalesce(var.operator_chart, "${path.module}/../../../helm/infracast-operator")
  values           = [yamlencode(var.operator_values)]

  depends_on = [aws_eks_node_group.default, helm_release.ack]
}
