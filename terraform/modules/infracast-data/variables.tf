variable "name" {
  description = "Prefix of every resource name and identifier, e.g. vulcan-prod or infracast-acme."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}[a-z0-9]$", var.name))
    error_message = "name must be 3-42 lowercase letters, digits or dashes, starting with a letter (RDS identifiers allow no more)."
  }
}

variable "environment" {
  description = "dev or prod: the RDS sizing, backups, Performance Insights, deletion protection and key of the documentation's tables."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the database's security group."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Data-tier subnets of the DB subnet group, in at least two AZs (RDS requires two even without Multi-AZ)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "subnet_ids must list at least two subnet ids such as subnet-0123456789abcdef0."
  }
}

variable "client_security_group_ids" {
  description = "Security groups whose members may connect to PostgreSQL on 5432 (the API tasks' or the nodes'); nothing else may."
  type        = list(string)

  validation {
    condition     = alltrue([for id in var.client_security_group_ids : can(regex("^sg-[0-9a-f]+$", id))])
    error_message = "client_security_group_ids must be security group ids such as sg-0123456789abcdef0."
  }
}

variable "db_instance_class" {
  description = "RDS instance class; null takes the environment's (dev db.t3.medium, prod db.r5.large)."
  type        = string
  default     = null
}

variable "db_multi_az" {
  description = "Multi-AZ standby; null takes the environment's (dev false, prod true)."
  type        = bool
  default     = null
}

variable "db_deletion_protection" {
  description = "RDS deletion protection; null takes the environment's (dev false, prod true). Off, a destroy deletes the instance without a final snapshot."
  type        = bool
  default     = null
}

variable "db_storage_gb" {
  description = "gp3 storage in GB; null takes the environment's (dev 20, prod 100 with autoscaling to ten times that)."
  type        = number
  default     = null
}

variable "database_name" {
  description = "Name of the PostgreSQL database the service uses."
  type        = string
  default     = "infracast"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must start with a letter and hold only lowercase letters, digits and underscores (at most 63)."
  }
}

variable "master_username" {
  description = "PostgreSQL master user the service connects as."
  type        = string
  default     = "infracast"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["postgres", "admin", "rdsadmin"], var.master_username)
    error_message = "master_username must be 1-16 lowercase letters, digits or underscores starting with a letter, and not a name RDS reserves."
  }
}

variable "kms_key_arn" {
  description = "KMS key for RDS, the bucket and the secret. Null: prod creates a customer-managed key, dev uses the AWS-managed keys."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.kms_key_arn, "-")))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/<id>."
  }
}

variable "bucket_name" {
  description = "Name of the evidence bucket (global in S3); null makes <name>-evidence-<account id>."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.bucket_name, "-")))
    error_message = "bucket_name must be 3-63 lowercase letters, digits, dots or dashes, starting and ending with a letter or digit."
  }
}

variable "create_database_url_secret" {
  description = "Whether to store DATABASE_URL (postgres://user:password@host:5432/db?sslmode=require) in a Secrets Manager secret."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
