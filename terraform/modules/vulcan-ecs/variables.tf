# Exactly the variables of the documentation's module block ("Terraform Module Reference"); the sizes default to
# null, which takes the environment's value from infracast-settings (where they are also range-checked).

variable "environment" {
  description = "dev or prod: selects every default of the documentation's Dev/Prod tables."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be \"dev\" or \"prod\"."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the three-tier VPC, /16 to /24."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block such as 10.0.0.0/16."
  }
}

variable "ecs_cpu" {
  description = "Fargate task CPU units; null: dev 512, prod 1024."
  type        = number
  default     = null
}

variable "ecs_memory" {
  description = "Fargate task memory in MiB, a valid size for ecs_cpu; null: dev 1024, prod 2048."
  type        = number
  default     = null
}

variable "ecs_desired_count" {
  description = "API tasks at start (autoscaling then keeps dev 1-3, prod 2-10); null: dev 1, prod 2."
  type        = number
  default     = null
}

variable "db_instance_class" {
  description = "RDS instance class; null: dev db.t3.medium, prod db.r5.large."
  type        = string
  default     = null
}

variable "db_multi_az" {
  description = "RDS Multi-AZ standby; null: dev false, prod true."
  type        = bool
  default     = null
}

variable "db_storage_gb" {
  description = "RDS gp3 storage in GB; null: dev 20, prod 100 (autoscaling to ten times that)."
  type        = number
  default     = null
}

variable "domain_name" {
  description = "Host name of the API (e.g. infracast.example.com); point a CNAME at the alb_dns_name output."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name such as infracast.example.com."
  }
}

variable "certificate_arn" {
  description = "ACM certificate for domain_name, in the deployment's region; the ALB's HTTPS listener serves it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<id>."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
