output "api_url" {
  description = "URL of the API once domain_name points at the ALB."
  value       = "https://${var.domain_name}"
}

output "alb_dns_name" {
  description = "DNS name of the ALB: create a CNAME (or alias) from domain_name to it."
  value       = aws_lb.api.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone of the ALB, for a Route 53 alias record."
  value       = aws_lb.api.zone_id
}

output "ui_url" {
  description = "URL of the UI on CloudFront (the API's CONTENT_CDN_URL)."
  value       = "https://${aws_cloudfront_distribution.ui.domain_name}"
}

output "ui_bucket" {
  description = "Bucket to upload the UI build into (then invalidate /index.html)."
  value       = aws_s3_bucket.ui.bucket
}

output "cloudfront_distribution_id" {
  description = "ID of the UI's CloudFront distribution, for invalidations."
  value       = aws_cloudfront_distribution.ui.id
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.network.vpc_id
}

output "ecs_cluster_name" {
  description = "ECS cluster of the API service."
  value       = aws_ecs_cluster.this.name
}

output "ecs_service_name" {
  description = "ECS service of the API."
  value       = aws_ecs_service.api.name
}

output "log_group_name" {
  description = "CloudWatch log group of the API tasks."
  value       = aws_cloudwatch_log_group.api.name
}

output "db_endpoint" {
  description = "Host name of the RDS PostgreSQL primary."
  value       = module.data.endpoint
}

output "database_url_secret_arn" {
  description = "Secrets Manager secret holding DATABASE_URL."
  value       = module.data.database_url_secret_arn
}

output "jwt_secret_arn" {
  description = "Secrets Manager secret holding JWT_SECRET."
  value       = aws_secretsmanager_secret.jwt.arn
}

output "service_keys_secret_arn" {
  description = "Secrets Manager secret holding ENCRYPTION_KEYS and EVIDENCE_SIGNING_KEY (JSON); keep it as long as the data."
  value       = aws_secretsmanager_secret.service_keys.arn
}

output "artifacts_bucket" {
  description = "The evidence bucket (ARTIFACTS_BUCKET)."
  value       = module.data.bucket
}
