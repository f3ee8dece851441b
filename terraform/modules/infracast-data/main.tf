# The data tier: RDS PostgreSQL 15 and the evidence bucket, sized by infracast-settings from the environment.
module "settings" {
  source = "../infracast-settings"

  environment       = var.environment
  db_instance_class = var.db_instance_class
  db_multi_az       = var.db_multi_az
  db_storage_gb     = var.db_storage_gb

  db_deletion_protection = var.db_deletion_protection
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  s = module.settings
  # prod's "AES-256 (CMK)": a key of this module unless one is given; dev's "AES-256 (KMS)": AWS-managed keys.
  create_kms_key = var.kms_key_arn == null && local.s.db_customer_managed_key
  kms_key_arn    = local.create_kms_key ? aws_kms_key.data[0].arn : var.kms_key_arn
  bucket_name    = coalesce(var.bucket_name, "${var.name}-evidence-${data.aws_caller_identity.current.account_id}")
}

resource "aws_kms_key" "data" {
  count                   = local.create_kms_key ? 1 : 0
  description             = "${var.name}: RDS, evidence bucket and DATABASE_URL secret"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = var.tags
}

resource "aws_kms_alias" "data" {
  count         = local.create_kms_key ? 1 : 0
  name          = "alias/${var.name}-data"
  target_key_id = aws_kms_key.data[0].key_id
}

resource "aws_db_subnet_group" "this" {
  name        = var.name
  description = "${var.name}: data-tier subnets"
  subnet_ids  = var.subnet_ids
  tags        = var.tags
}

# 5432 from the clients' security groups only, and no egress rule: RDS starts no connections.
resource "aws_security_group" "db" {
  name        = "${var.name}-db"
  description = "${var.name}: PostgreSQL from the API only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-db" })
}

resource "aws_vpc_security_group_ingress_rule" "db_from_clients" {
  for_each                     = toset(var.client_security_group_ids)
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from ${each.value}"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = each.value
}

resource "aws_db_parameter_group" "this" {
  name        = var.name
  family      = "postgres${local.s.db_engine_version}"
  description = "${var.name}: PostgreSQL ${local.s.db_engine_version}"
  tags        = var.tags

  # TLS only: the service's DATABASE_URL says sslmode=require, and nothing else should connect in clear.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # Statements slower than a second land in the log (CloudWatch with the exports below).
  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }
}

# No special characters: the password goes into a URL unescaped.
resource "random_password" "master" {
  length  = 40
  special = false
}

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = local.s.db_engine_version
  instance_class = local.s.db_instance_class
  multi_az       = local.s.db_multi_az

  allocated_storage     = local.s.db_storage_gb
  max_allocated_storage = local.s.db_max_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = local.kms_key_arn

  db_name                = var.database_name
  username               = var.master_username
  password               = random_password.master.result
  port                   = 5432
  db_subnet_group_name   = aws_db_subnet_group.this.name
  parameter_group_name   = aws_db_parameter_group.this.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false

  backup_retention_period         = local.s.db_backup_retention_days
  performance_insights_enabled    = local.s.db_performance_insights
  performance_insights_kms_key_id = local.s.db_performance_insights ? local.kms_key_arn : null
  deletion_protection             = local.s.db_deletion_protection
  skip_final_snapshot             = !local.s.db_deletion_protection
  final_snapshot_identifier       = local.s.db_deletion_protection ? "${var.name}-final" : null
  copy_tags_to_snapshot           = true
  auto_minor_version_upgrade      = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  apply_immediately               = !local.s.db_deletion_protection
  tags                            = var.tags
}

resource "aws_secretsmanager_secret" "database_url" {
  count       = var.create_database_url_secret ? 1 : 0
  name_prefix = "${var.name}/database-url-"
  description = "${var.name}: DATABASE_URL of the Infracast service"
  kms_key_id  = local.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "database_url" {
  count     = var.create_database_url_secret ? 1 : 0
  secret_id = aws_secretsmanager_secret.database_url[0].id
  secret_string = format("postgres://%s:%s@%s:%d/%s?sslmode=require", var.master_username,
  random_password.master.result, aws_db_instance.this.address, aws_db_instance.this.port, var.database_name)
}
