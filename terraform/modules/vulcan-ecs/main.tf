# The documentation's ECS architecture: a three-tier VPC, an ALB in front of Fargate tasks of vulcan-api, RDS
# PostgreSQL 15 and the evidence bucket (infracast-data), secrets in Secrets Manager, the UI on CloudFront.
module "settings" {
  source = "../infracast-settings"

  environment       = var.environment
  ecs_cpu           = var.ecs_cpu
  ecs_memory        = var.ecs_memory
  ecs_desired_count = var.ecs_desired_count
}

locals {
  name = "vulcan-${var.environment}"
  s    = module.settings
  # The interface is the documented module block, which has no image input: pin the release here.
  api_image = "infracast/vulcan-api:1.4.2"
  api_port  = 8080
}

module "network" {
  source = "../infracast-network"

  name              = local.name
  vpc_cidr          = var.vpc_cidr
  nat_gateway_count = local.s.nat_gateway_count
  tags              = var.tags
}

module "data" {
  source = "../infracast-data"

  name                      = local.name
  environment               = var.environment
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.data_subnet_ids
  client_security_group_ids = [aws_security_group.api.id]
  db_instance_class         = var.db_instance_class
  db_multi_az               = var.db_multi_az
  db_storage_gb             = var.db_storage_gb
  tags                      = var.tags
}

# The service's session-token key (JWT_SECRET, at least 32 bytes), generated once and kept in Secrets Manager.
resource "random_password" "jwt" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "jwt" {
  name_prefix = "${local.name}/jwt-secret-"
  description = "${local.name}: JWT_SECRET of the Infracast service"
  kms_key_id  = module.data.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "jwt" {
  secret_id     = aws_secretsmanager_secret.jwt.id
  secret_string = random_password.jwt.result
}

# The service's keys, generated once: ENCRYPTION_KEYS (AES-256, sealing the discovery credentials and webhook
# secrets stored in the database) and EVIDENCE_SIGNING_KEY (Ed25519, PKCS#8 PEM, signing evidence). Losing them
# makes those credentials unreadable and new evidence signed by another key: keep the secret as long as the data.
resource "random_bytes" "encryption_key" {
  length = 32
}

resource "tls_private_key" "evidence" {
  algorithm = "ED25519"
}

resource "aws_secretsmanager_secret" "service_keys" {
  name_prefix = "${local.name}/service-keys-"
  description = "${local.name}: ENCRYPTION_KEYS and EVIDENCE_SIGNING_KEY of the Infracast service"
  kms_key_id  = module.data.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "service_keys" {
  secret_id = aws_secretsmanager_secret.service_keys.id
  secret_string = jsonencode({
    ENCRYPTION_KEYS      = "k1:${random_bytes.encryption_key.base64}"
    EVIDENCE_SIGNING_KEY = tls_private_key.evidence.private_key_pem
  })
}
