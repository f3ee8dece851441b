output "environment" {
  description = "The environment these settings are for (dev or prod)."
  value       = var.environment
}

output "ecs_cpu" {
  description = "Fargate task CPU units."
  value       = local.ecs_cpu
}

output "ecs_memory" {
  description = "Fargate task memory in MiB; a valid size for ecs_cpu."
  value       = local.ecs_memory

  precondition {
    condition     = contains(local.fargate_memory[local.ecs_cpu], local.ecs_memory)
    error_message = "ecs_memory ${local.ecs_memory} is not a Fargate size for ecs_cpu ${local.ecs_cpu}; valid: ${join(", ", local.fargate_memory[local.ecs_cpu])}."
  }
}

output "ecs_desired_count" {
  description = "API tasks at start."
  value       = local.ecs_desired_count
}

output "ecs_min_count" {
  description = "Fewest API tasks autoscaling keeps."
  value       = local.ecs_min_count
}

output "ecs_max_count" {
  description = "Most API tasks autoscaling starts."
  value       = local.ecs_max_count
}

output "ecs_cpu_target_percent" {
  description = "Average CPU utilisation autoscaling aims for, in percent."
  value       = local.profile.ecs_cpu_target_percent
}

output "nat_gateway_count" {
  description = "NAT gateways: one shared by both AZs (dev) or one per AZ (prod)."
  value       = local.profile.nat_gateway_count
}

output "db_engine_version" {
  description = "PostgreSQL major version of RDS."
  value       = "15"
}

output "db_instance_class" {
  description = "RDS instance class."
  value       = coalesce(var.db_instance_class, local.profile.db_instance_class)
}

output "db_multi_az" {
  description = "Whether RDS keeps a synchronous standby in a second AZ."
  value       = coalesce(var.db_multi_az, local.profile.db_multi_az)
}

output "db_storage_gb" {
  description = "RDS gp3 storage allocated at creation, in GB."
  value       = local.db_storage_gb
}

output "db_max_storage_gb" {
  description = "Upper bound of RDS storage autoscaling in GB; 0 when it is off (dev)."
  value       = local.db_max_storage_gb
}

output "db_customer_managed_key" {
  description = "Whether RDS and the bucket are encrypted with a customer-managed KMS key (prod) rather than AWS's."
  value       = local.profile.db_customer_managed_key
}

output "db_backup_retention_days" {
  description = "Days RDS keeps automated backups."
  value       = local.profile.db_backup_retention_days
}

output "db_performance_insights" {
  description = "Whether RDS Performance Insights is on."
  value       = local.profile.db_performance_insights
}

output "db_deletion_protection" {
  description = "Whether RDS refuses deletion (and a final snapshot is taken when it is lifted)."
  value       = coalesce(var.db_deletion_protection, local.profile.db_deletion_protection)
}

output "log_retention_days" {
  description = "Days CloudWatch keeps the API's logs (not in the documentation's tables: this module's choice)."
  value       = local.profile.log_retention_days
}

output "eks_node_count" {
  description = "EKS managed node group size {min, desired, max} (not in the documentation's tables: this module's choice)."
  value       = local.profile.eks_node_count
}

output "operator_profile" {
  description = "The InfracastInstallation profile of this environment: development (dev) or production (prod)."
  value       = local.profile.operator_profile
}
