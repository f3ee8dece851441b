variable "name" {
  description = "Prefix of every resource name, e.g. vulcan-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC, /16 to /24; it is cut into six subnets (public, private, data in two AZs)."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 24
    error_message = "vpc_cidr must be an IPv4 CIDR block from /16 to /24, such as 10.0.0.0/16."
  }
}

variable "nat_gateway_count" {
  description = "NAT gateways: 1 (shared by both AZs) or 2 (one per AZ, so one AZ's outage leaves the other's egress)."
  type        = number

  validation {
    condition     = contains([1, 2], var.nat_gateway_count)
    error_message = "nat_gateway_count must be 1 or 2."
  }
}

variable "public_subnet_tags" {
  description = "Extra tags of the public subnets (e.g. kubernetes.io/role/elb for EKS load balancers)."
  type        = map(string)
  default     = {}
}

variable "private_subnet_tags" {
  description = "Extra tags of the private subnets (e.g. kubernetes.io/role/internal-elb for EKS)."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
