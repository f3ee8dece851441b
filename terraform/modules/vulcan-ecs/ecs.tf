data "aws_partition" "current" {}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/ecs/${local.name}/api"
  retention_in_days = local.s.log_retention_days
  tags              = var.tags
}

resource "aws_ecs_cluster" "this" {
  name = local.name
  tags = var.tags

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# The execution role: ECS pulls the image, writes logs and reads the two secrets into the container.
resource "aws_iam_role" "execution" {
  name_prefix        = "${local.name}-exec-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  statement {
    actions = ["secretsmanager:GetSecretValue"]
    resources = [module.data.database_url_secret_arn, aws_secretsmanager_secret.jwt.arn,
    aws_secretsmanager_secret.service_keys.arn]
  }

  dynamic "statement" {
    for_each = module.data.kms_key_arn == null ? [] : [module.data.kms_key_arn]

    content {
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

# The task role: what the service itself may do, which is the evidence bucket only.
resource "aws_iam_role" "task" {
  name_prefix        = "${local.name}-task-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "task" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = [module.data.bucket_arn]
  }

  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${module.data.bucket_arn}/*"]
  }

  dynamic "statement" {
    for_each = module.data.kms_key_arn == null ? [] : [module.data.kms_key_arn]

    content {
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "evidence-bucket"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

locals {
  # The runtime contract's settings (runtime-contract RuntimeSettings); DATABASE_URL, JWT_SECRET and the service's
  # keys come from Secrets Manager, never from the task definition.
  api_environment = {
    API_PORT           = tostring(local.api_port)
    PLUGIN_DIR         = "/usr/local/lib/infracast/plugins"
    CONTENT_CDN_URL    = "https://${aws_cloudfront_distribution.ui.domain_name}"
    ARTIFACTS_BUCKET   = module.data.bucket
    AWS_REGION         = module.data.region
    AWS_DEFAULT_REGION = module.data.region
    # ECS has no migration Job: every task migrates on start, and the service's PostgreSQL advisory lock lets
    # one do it while the others wait and then find nothing to do.
    MIGRATE_ON_START = "true"
  }
  api_secrets = {
    DATABASE_URL = module.data.database_url_secret_arn
    # The version's arn is the secret's; naming it makes tasks start only once the secret has a value.
    JWT_SECRET = aws_secretsmanager_secret_version.jwt.arn
    # One JSON secret, two keys of it (ECS's secret-arn:json-key:version-stage:version-id form).
    ENCRYPTION_KEYS      = "${aws_secretsmanager_secret_version.service_keys.arn}:ENCRYPTION_KEYS::"
    EVIDENCE_SIGNING_KEY = "${aws_secretsmanager_secret_version.service_keys.arn}:EVIDENCE_SIGNING_KEY::"
  }
}

resource "aws_ecs_task_definition" "api" {
  family                   = "${local.name}-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = local.s.ecs_cpu
  memory                   = local.s.ecs_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  tags                     = var.tags

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name         = "vulcan-api"
    image        = local.api_image
    essential    = true
    portMappings = [{ containerPort = local.api_port, protocol = "tcp" }]
    environment  = [for k, v in local.api_environment : { name = k, value = v }]
    secrets      = [for k, v in local.api_secrets : { name = k, valueFrom = v }]
    # As long as the ALB's draining, so a task finishes its requests before it is killed.
    stopTimeout = 30
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.api.name
        awslogs-region        = module.data.region
        awslogs-stream-prefix = "api"
      }
    }
  }])
}

resource "aws_ecs_service" "api" {
  name            = "vulcan-api"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.api.arn
  launch_type     = "FARGATE"
  desired_count   = local.s.ecs_desired_count
  # Rolling deployments: a new task must pass /healthz before an old one is drained and stopped.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 120
  tags                               = var.tags

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = module.network.private_subnet_ids
    security_groups  = [aws_security_group.api.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "vulcan-api"
    container_port   = local.api_port
  }

  # Autoscaling owns the running count after the first apply.
  lifecycle {
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener.https]
}

resource "aws_appautoscaling_target" "api" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.api.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = local.s.ecs_min_count
  max_capacity       = local.s.ecs_max_count
}

resource "aws_appautoscaling_policy" "api_cpu" {
  name               = "${local.name}-api-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  resource_id        = aws_appautoscaling_target.api.resource_id
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = local.s.ecs_cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
