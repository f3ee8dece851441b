variable "environment" {
  description = "Deployment profile: dev or prod. Every size and default below follows it unless overridden."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be \"dev\" or \"prod\"."
  }
}

variable "ecs_cpu" {
  description = "Fargate task CPU units; null takes the environment's (dev 512, prod 1024)."
  type        = number
  default     = null

  validation {
    condition     = var.ecs_cpu == null || contains([256, 512, 1024, 2048, 4096, 8192, 16384], coalesce(var.ecs_cpu, 0))
    error_message = "ecs_cpu must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "ecs_memory" {
  description = "Fargate task memory in MiB, valid for the CPU size; null takes the environment's (dev 1024, prod 2048)."
  type        = number
  default     = null

  validation {
    condition     = var.ecs_memory == null || coalesce(var.ecs_memory, 0) >= 512
    error_message = "ecs_memory must be at least 512 MiB."
  }
}

variable "ecs_desired_count" {
  description = "API tasks at start, within the autoscaling range; null takes the environment's (dev 1, prod 2)."
  type        = number
  default     = null

  validation {
    condition     = var.ecs_desired_count == null || (floor(coalesce(var.ecs_desired_count, 0)) == coalesce(var.ecs_desired_count, 0) && coalesce(var.ecs_desired_count, 0) >= 1)
    error_message = "ecs_desired_count must be a whole number of at least 1."
  }
}

variable "db_instance_class" {
  description = "RDS instance class; null takes the environment's (dev db.t3.medium, prod db.r5.large)."
  type        = string
  default     = null

  validation {
    condition     = var.db_instance_class == null || can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", coalesce(var.db_instance_class, "-")))
    error_message = "db_instance_class must be an RDS instance class such as db.t3.medium or db.r5.large."
  }
}

variable "db_multi_az" {
  description = "Whether RDS keeps a synchronous standby in a second AZ; null takes the environment's (dev false, prod true)."
  type        = bool
  default     = null
}

variable "db_deletion_protection" {
  description = "Whether RDS refuses to delete the instance; null takes the environment's (dev false, prod true)."
  type        = bool
  default     = null
}

variable "db_storage_gb" {
  description = "RDS gp3 storage in GB; null takes the environment's (dev 20, prod 100)."
  type        = number
  default     = null

  validation {
    condition     = var.db_storage_gb == null || (coalesce(var.db_storage_gb, 0) >= 20 && coalesce(var.db_storage_gb, 0) <= 65536)
    error_message = "db_storage_gb must be between 20 and 65536 GB."
  }
}
