# EKS with the operator and two tenants. New cluster: apply once with tenants = {} (the kubernetes provider
# needs the operator's CRD to plan an InfracastInstallation), then with the tenants.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40, < 7.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = ">= 2.12, < 3.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.27"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

# Both Kubernetes providers reach the new cluster with a token from the AWS CLI (IAM, no static credentials).
locals {
  cluster_auth = {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
    exec_args              = ["eks", "get-token", "--cluster-name", module.eks.cluster_name]
  }
}

provider "kubernetes" {
  host                   = local.cluster_auth.host
  cluster_ca_certificate = local.cluster_auth.cluster_ca_certificate

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = local.cluster_auth.exec_args
  }
}

provider "helm" {
  kubernetes {
    host                   = local.cluster_auth.host
    cluster_ca_certificate = local.cluster_auth.cluster_ca_certificate

    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = local.cluster_auth.exec_args
    }
  }
}

module "eks" {
  source = "../../modules/vulcan-eks"

  name        = "infracast"
  environment = "prod"
  vpc_cidr    = "10.0.0.0/16"

  operator_values = {
    image = { repository = "123456789012.dkr.ecr.us-east-1.amazonaws.com/infracast/operator" }
  }

  tenants = {
    acme = {
      version         = "1.4.2"
      host            = "infracast.acme.example.com"
      certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    }
    globex = {
      version = "1.4.2"
      profile = "development"
    }
  }

  tags = { Project = "Infracast" }
}

output "cluster_name" {
  description = "aws eks update-kubeconfig --name <this>"
  value       = module.eks.cluster_name
}

output "tenant_namespaces" {
  description = "Where each tenant's InfracastInstallation is."
  value       = module.eks.tenant_namespaces
}
