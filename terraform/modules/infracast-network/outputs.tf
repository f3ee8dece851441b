output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "availability_zones" {
  description = "The two AZs the subnets are in."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT gateways), one per AZ."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (API tasks or nodes), one per AZ."
  value       = aws_subnet.private[*].id
}

output "data_subnet_ids" {
  description = "Data subnets (RDS), one per AZ, without internet access."
  value       = aws_subnet.data[*].id
}

output "nat_public_ips" {
  description = "Public addresses the private tier's outbound traffic leaves from (for allow-lists)."
  value       = aws_eip.nat[*].public_ip
}
