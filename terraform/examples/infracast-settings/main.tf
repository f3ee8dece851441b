# What an environment means, without creating anything (no providers): tofu init && tofu apply prints it.
terraform {
  required_version = ">= 1.6.0"
}

variable "environment" {
  description = "dev or prod."
  type        = string
  default     = "prod"
}

module "settings" {
  source = "../../modules/infracast-settings"

  environment = var.environment
  # Overrides win over the profile; the rest keeps the environment's values.
  db_instance_class = "db.r6g.xlarge"
}

output "settings" {
  description = "Every setting of the environment."
  value       = module.settings
}
