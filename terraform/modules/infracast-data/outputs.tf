output "endpoint" {
  description = "Host name of the PostgreSQL primary."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.this.port
}

output "database" {
  description = "Name of the service's database."
  value       = var.database_name
}

output "username" {
  description = "PostgreSQL user of the service."
  value       = var.master_username
}

output "password" {
  description = "Password of that user (sensitive; the DATABASE_URL secret holds it too)."
  value       = random_password.master.result
  sensitive   = true
}

output "bucket" {
  description = "Name of the evidence bucket (ARTIFACTS_BUCKET)."
  value       = aws_s3_bucket.evidence.bucket
}

output "bucket_arn" {
  description = "ARN of the evidence bucket, for IAM policies."
  value       = aws_s3_bucket.evidence.arn
}

output "region" {
  description = "Region of the database and the bucket (AWS_REGION)."
  value       = data.aws_region.current.name
}

output "database_url_secret_arn" {
  description = "ARN of the Secrets Manager secret holding DATABASE_URL; null when create_database_url_secret is false."
  value       = var.create_database_url_secret ? aws_secretsmanager_secret.database_url[0].arn : null
}

output "kms_key_arn" {
  description = "KMS key of RDS, the bucket and the secret; null when they use AWS-managed keys."
  value       = local.kms_key_arn
}

output "security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.db.id
}
