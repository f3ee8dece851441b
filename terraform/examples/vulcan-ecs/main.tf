# The documentation's module block ("Terraform Module Reference"), production sizes written out.
# tofu init && tofu apply, then point a CNAME from domain_name at the alb_dns_name output.
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

module "vulcan" {
  source = "../../modules/vulcan-ecs"

  environment = "prod"
  vpc_cidr    = "10.0.0.0/16"

  # ECS
  ecs_cpu           = 1024
  ecs_memory        = 2048
  ecs_desired_count = 2

  # RDS
  db_instance_class = "db.r5.large"
  db_multi_az       = true
  db_storage_gb     = 100

  # Domain
  domain_name     = "infracast.example.com"
  certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"

  tags = {
    Project     = "Infracast"
    Environment = "prod"
  }
}

output "alb_dns_name" {
  description = "Point a CNAME from infracast.example.com here."
  value       = module.vulcan.alb_dns_name
}

output "ui_url" {
  description = "The UI on CloudFront."
  value       = module.vulcan.ui_url
}
