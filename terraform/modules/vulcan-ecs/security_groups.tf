# The documentation's security groups: ALB 443 in, 8080 out to the tasks; tasks 8080 from the ALB, 5432 out to
# RDS and 443 out through NAT; RDS 5432 from the tasks (in infracast-data).
resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "${local.name}: HTTPS from the internet to the API"
  vpc_id      = module.network.vpc_id
  tags        = merge(var.tags, { Name = "${local.name}-alb" })
}

resource "aws_security_group" "api" {
  name        = "${local.name}-api"
  description = "${local.name}: API tasks"
  vpc_id      = module.network.vpc_id
  tags        = merge(var.tags, { Name = "${local.name}-api" })
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from anywhere"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

# Not in the documentation's table, but its HTTP listener must be reachable to redirect to HTTPS.
resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from anywhere, answered with a redirect to HTTPS"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_api" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the API tasks"
  ip_protocol                  = "tcp"
  from_port                    = local.api_port
  to_port                      = local.api_port
  referenced_security_group_id = aws_security_group.api.id
}

resource "aws_vpc_security_group_ingress_rule" "api_from_alb" {
  security_group_id            = aws_security_group.api.id
  description                  = "From the ALB"
  ip_protocol                  = "tcp"
  from_port                    = local.api_port
  to_port                      = local.api_port
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_egress_rule" "api_to_db" {
  security_group_id            = aws_security_group.api.id
  description                  = "To PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = module.data.security_group_id
}

# AWS APIs (S3, Secrets Manager, CloudWatch Logs, ECR) through the NAT gateways.
resource "aws_vpc_security_group_egress_rule" "api_https" {
  security_group_id = aws_security_group.api.id
  description       = "HTTPS to AWS APIs through NAT"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}
