output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "API server URL of the cluster (for the helm and kubernetes providers)."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA certificate of the cluster's API server."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster, for more IRSA roles."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.network.vpc_id
}

output "data_subnet_ids" {
  description = "Data-tier subnets the tenants' RDS instances use."
  value       = module.network.data_subnet_ids
}

output "tenant_db_security_group_id" {
  description = "Security group of the tenants' RDS instances (5432 from the nodes)."
  value       = aws_security_group.tenant_db.id
}

output "tenant_namespaces" {
  description = "Namespace of each tenant's InfracastInstallation, by tenant."
  value       = { for k, ns in kubernetes_namespace_v1.tenant : k => ns.metadata[0].name }
}

output "tenant_role_arns" {
  description = "IRSA role of each tenant's API pods (its bucket and infracast/<tenant>/ secrets), by tenant."
  value       = { for k in keys(var.tenants) : k => aws_iam_role.irsa["tenant-${k}"].arn }
}

output "ack_role_arns" {
  description = "IRSA role of each ACK controller, by controller (rds, s3)."
  value       = { for c in keys(var.ack_controllers) : c => aws_iam_role.irsa["ack-${c}"].arn }
}
