variable "name" {
  description = "Name of the EKS cluster and prefix of every resource name."
  type        = string
  default     = "infracast"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "environment" {
  description = "dev or prod: NAT gateways, node group size and the tenants' default profile (development or production)."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be \"dev\" or \"prod\"."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the three-tier VPC, /16 to /24 (the tenants' ALBs reach pods from it)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block such as 10.0.0.0/16."
  }
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.34"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version such as 1.34."
  }
}

variable "node_instance_types" {
  description = "Instance types of the managed node group."
  type        = list(string)
  default     = ["m6i.large"]

  validation {
    condition     = length(var.node_instance_types) > 0
    error_message = "node_instance_types must name at least one instance type."
  }
}

variable "node_count" {
  description = "Nodes of the managed node group: min, desired and max; null: dev 1/2/3, prod 2/3/6."
  type = object({
    min     = number
    desired = number
    max     = number
  })
  default = null

  validation {
    condition     = var.node_count == null || try(var.node_count.min >= 1 && var.node_count.min <= var.node_count.desired && var.node_count.desired <= var.node_count.max, false)
    error_message = "node_count must satisfy 1 <= min <= desired <= max."
  }
}

variable "ack_controllers" {
  description = "Chart versions of the ACK controllers to install (keys rds and s3; a key left out is not installed)."
  type        = map(string)
  default = {
    rds = "1.6.2"
    s3  = "1.1.1"
  }

  validation {
    condition     = alltrue([for k in keys(var.ack_controllers) : contains(["rds", "s3"], k)])
    error_message = "ack_controllers takes the keys rds and s3 only."
  }
}

variable "ack_chart_repository" {
  description = "OCI repository of the ACK controllers' charts, each at <repository>/<service>-chart; point it at a mirror for clusters without internet access."
  type        = string
  default     = "oci://public.ecr.aws/aws-controllers-k8s"

  validation {
    condition     = startswith(var.ack_chart_repository, "oci://")
    error_message = "ack_chart_repository must be an OCI repository URL starting with oci://."
  }
}

variable "operator_chart" {
  description = "Path (or repository URL) of the infracast-operator Helm chart; null: this repository's helm/infracast-operator."
  type        = string
  default     = null
}

variable "operator_values" {
  description = "Values of the infracast-operator chart (e.g. image.repository, image.tag), merged over the module's."
  type        = any
  default     = {}
}

variable "tenants" {
  description = <<-EOT
    One InfracastInstallation per entry, in namespace infracast-<key>, with its RDS database and S3 bucket made by
    ACK in this cluster's VPC. version: the image tag; host and certificate_arn: an ALB Ingress (needs the AWS
    Load Balancer Controller); profile: development or production (null follows environment); bucket_name: null
    makes <cluster>-<key>-evidence.
  EOT
  type = map(object({
    version         = string
    profile         = optional(string)
    host            = optional(string)
    certificate_arn = optional(string)
    bucket_name     = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for k, t in var.tenants : can(regex("^[a-z][a-z0-9-]{0,40}[a-z0-9]$", k))])
    error_message = "tenant keys must be 2-42 lowercase letters, digits or dashes, starting with a letter (they name namespaces and AWS resources)."
  }

  validation {
    condition     = alltrue([for t in values(var.tenants) : t.profile == null || contains(["development", "production"], coalesce(t.profile, "-"))])
    error_message = "a tenant's profile must be development or production."
  }

  validation {
    condition     = alltrue([for t in values(var.tenants) : (t.host == null) == (t.certificate_arn == null)])
    error_message = "a tenant's host and certificate_arn go together: give both for an ALB Ingress, or neither."
  }
}

variable "tags" {
  description = "Tags of every AWS resource."
  type        = map(string)
  default     = {}
}
