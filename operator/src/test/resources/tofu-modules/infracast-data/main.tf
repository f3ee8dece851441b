# A stand-in for terraform/modules/infracast-data with no provider (the AWS provider cannot be downloaded here):
# the same variables and outputs, the same validation of name, and terraform_data instead of RDS and S3. The
# precondition plays AWS refusing an instance class for PostgreSQL 15, as the AWS provider would report it.
# The local kubelet runs the runner image's runner.sh against this folder.

variable "name" {
  type = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}[a-z0-9]$", var.name))
    error_message = "name must be 3-42 lowercase letters, digits or dashes, starting with a letter (RDS identifiers allow no more)."
  }
}

variable "environment" { type = string }
variable "vpc_id" { type = string }
variable "subnet_ids" { type = list(string) }
variable "client_security_group_ids" { type = list(string) }

variable "db_instance_class" {
  type    = string
  default = null
}

variable "db_multi_az" {
  type    = bool
  default = null
}

variable "db_deletion_protection" {
  type    = bool
  default = null
}

variable "db_storage_gb" {
  type    = number
  default = null
}

variable "database_name" {
  type    = string
  default = "infracast"
}

variable "master_username" {
  type    = string
  default = "infracast"
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "bucket_name" {
  type    = string
  default = null
}

variable "create_database_url_secret" {
  type    = bool
  default = true
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "terraform_data" "database" {
  input = {
    identifier     = var.name
    instance_class = var.db_instance_class
    storage_gb     = var.db_storage_gb
    subnets        = var.subnet_ids
  }

  lifecycle {
    precondition {
      condition     = var.db_instance_class != "db.t2.nano"
      error_message = "creating RDS DB Instance (${var.name}): InvalidParameterCombination: RDS does not support creating a DB instance with the following combination: DBInstanceClass=db.t2.nano, Engine=postgres, EngineVersion=15."
    }
  }
}

resource "terraform_data" "bucket" {
  input = coalesce(var.bucket_name, "${var.name}-evidence")
}

output "endpoint" {
  value = "${terraform_data.database.output.identifier}.db.internal"
}

output "port" {
  value = 5432
}

output "database" {
  value = var.database_name
}

output "username" {
  value = var.master_username
}

output "password" {
  value     = "generated-by-${var.name}"
  sensitive = true
}

output "bucket" {
  value = terraform_data.bucket.output
}

output "region" {
  value = "eu-west-1"
}

output "instance_class" {
  value = terraform_data.database.output.instance_class
}
