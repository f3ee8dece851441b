# The dev and prod profiles of the deployment documentation ("Deployment Architecture": ECS Fargate, RDS
# PostgreSQL and "Dev vs Prod Environments" tables), in one place that vulcan-ecs, vulcan-eks and infracast-data
# read. No providers: `tofu test` runs it for real.
locals {
  profiles = {
    dev = {
      ecs_cpu                  = 512
      ecs_memory               = 1024
      ecs_desired_count        = 1
      ecs_min_count            = 1
      ecs_max_count            = 3
      ecs_cpu_target_percent   = 80
      nat_gateway_count        = 1
      db_instance_class        = "db.t3.medium"
      db_multi_az              = false
      db_storage_gb            = 20
      db_storage_autoscaling   = false
      db_customer_managed_key  = false
      db_backup_retention_days = 7
      db_performance_insights  = false
      db_deletion_protection   = false
      log_retention_days       = 14
      eks_node_count           = { min = 1, desired = 2, max = 3 }
      operator_profile         = "development"
    }
    prod = {
      ecs_cpu                  = 1024
      ecs_memory               = 2048
      ecs_desired_count        = 2
      ecs_min_count            = 2
      ecs_max_count            = 10
      ecs_cpu_target_percent   = 70
      nat_gateway_count        = 2
      db_instance_class        = "db.r5.large"
      db_multi_az              = true
      db_storage_gb            = 100
      db_storage_autoscaling   = true
      db_customer_managed_key  = true
      db_backup_retention_days = 35
      db_performance_insights  = true
      db_deletion_protection   = true
      log_retention_days       = 90
      eks_node_count           = { min = 2, desired = 3, max = 6 }
      operator_profile         = "production"
    }
  }

  profile = local.profiles[var.environment]

  ecs_cpu           = coalesce(var.ecs_cpu, local.profile.ecs_cpu)
  ecs_memory        = coalesce(var.ecs_memory, local.profile.ecs_memory)
  ecs_desired_count = coalesce(var.ecs_desired_count, local.profile.ecs_desired_count)
  # A desired count above the profile's range widens the range rather than being scaled back down at once.
  ecs_min_count = min(local.profile.ecs_min_count, local.ecs_desired_count)
  ecs_max_count = max(local.profile.ecs_max_count, local.ecs_desired_count)

  db_storage_gb = coalesce(var.db_storage_gb, local.profile.db_storage_gb)
  # Storage autoscaling ("100 GB gp3, autoscale") grows up to ten times the allocation, as the operator's
  # production profile does (100 to 1000 GB); 0 turns it off.
  db_max_storage_gb = local.profile.db_storage_autoscaling ? min(65536, local.db_storage_gb * 10) : 0

  # Fargate's valid memory sizes (MiB) per CPU size.
  fargate_memory = {
    256   = [512, 1024, 2048]
    512   = [for gb in range(1, 5) : gb * 1024]
    1024  = [for gb in range(2, 9) : gb * 1024]
    2048  = [for gb in range(4, 17) : gb * 1024]
    4096  = [for gb in range(8, 31) : gb * 1024]
    8192  = [for gb in range(16, 61, 4) : gb * 1024]
    16384 = [for gb in range(32, 121, 8) : gb * 1024]
  }
}
