# The data tier alone, in a VPC you already have: e.g. for an installation with database.provisioner external,
# whose Secret takes DATABASE_URL from the secret this creates.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40, < 7.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

module "data" {
  source = "../../modules/infracast-data"

  name        = "infracast-acme"
  environment = "dev"
  vpc_id      = "vpc-0123456789abcdef0"
  # Private subnets in two AZs, and the security group of whatever runs the service (e.g. EKS nodes).
  subnet_ids                = ["subnet-0a1b2c3d4e5f60718", "subnet-0b2c3d4e5f6071829"]
  client_security_group_ids = ["sg-0123456789abcdef0"]
  bucket_name               = "acme-infracast-evidence"

  tags = { Project = "Infracast", Tenant = "acme" }
}

output "endpoint" {
  description = "PostgreSQL host."
  value       = module.data.endpoint
}

output "database_url_secret_arn" {
  description = "Secrets Manager secret holding DATABASE_URL."
  value       = module.data.database_url_secret_arn
}

output "bucket" {
  description = "The evidence bucket."
  value       = module.data.bucket
}
