# The profiles as the deployment documentation's tables give them, overrides, and the input checks.
# Run with `tofu test` in the module folder; the Terraform tests (terraform-tests/) run it in ./bin/test.

run "dev_defaults" {
  command = apply

  variables {
    environment = "dev"
  }

  assert {
    condition = (output.ecs_cpu == 512 && output.ecs_memory == 1024 && output.ecs_desired_count == 1
    && output.ecs_min_count == 1 && output.ecs_max_count == 3 && output.ecs_cpu_target_percent == 80)
    error_message = "dev ECS sizes differ from the documentation: 512 CPU, 1024 MB, 1 task (1-3 at 80% CPU)."
  }

  assert {
    condition = (output.db_instance_class == "db.t3.medium" && output.db_multi_az == false
      && output.db_storage_gb == 20 && output.db_max_storage_gb == 0 && output.db_customer_managed_key == false
    && output.db_backup_retention_days == 7 && output.db_performance_insights == false)
    error_message = "dev RDS settings differ from the documentation: db.t3.medium, single-AZ, 20 GB, AWS key, 7 days, no PI."
  }

  assert {
    condition     = output.nat_gateway_count == 1 && output.db_deletion_protection == false
    error_message = "dev should have one NAT gateway and no deletion protection."
  }
}

run "prod_defaults" {
  command = apply

  variables {
    environment = "prod"
  }

  assert {
    condition = (output.ecs_cpu == 1024 && output.ecs_memory == 2048 && output.ecs_desired_count == 2
    && output.ecs_min_count == 2 && output.ecs_max_count == 10 && output.ecs_cpu_target_percent == 70)
    error_message = "prod ECS sizes differ from the documentation: 1024 CPU, 2048 MB, 2 tasks (2-10 at 70% CPU)."
  }

  assert {
    condition = (output.db_instance_class == "db.r5.large" && output.db_multi_az == true
      && output.db_storage_gb == 100 && output.db_max_storage_gb == 1000 && output.db_customer_managed_key == true
    && output.db_backup_retention_days == 35 && output.db_performance_insights == true)
    error_message = "prod RDS settings differ from the documentation: db.r5.large, Multi-AZ, 100 GB autoscaling, CMK, 35 days, PI."
  }

  assert {
    condition     = output.nat_gateway_count == 2 && output.db_deletion_protection == true
    error_message = "prod should have two NAT gateways and deletion protection."
  }
}

run "overrides_win" {
  command = apply

  variables {
    environment       = "prod"
    ecs_cpu           = 2048
    ecs_memory        = 4096
    ecs_desired_count = 12
    db_instance_class = "db.r6g.xlarge"
    db_multi_az       = false
    db_storage_gb     = 200
  }

  assert {
    condition     = output.ecs_cpu == 2048 && output.ecs_memory == 4096 && output.ecs_desired_count == 12
    error_message = "ECS overrides were not taken."
  }

  assert {
    condition     = output.ecs_min_count == 2 && output.ecs_max_count == 12
    error_message = "A desired count above the profile's maximum should raise the maximum to it."
  }

  assert {
    condition = (output.db_instance_class == "db.r6g.xlarge" && output.db_multi_az == false
    && output.db_storage_gb == 200 && output.db_max_storage_gb == 2000)
    error_message = "RDS overrides were not taken (or storage autoscaling did not follow the storage)."
  }

  assert {
    condition     = output.db_backup_retention_days == 35 && output.db_deletion_protection == true
    error_message = "Settings that were not overridden should keep the prod profile's values."
  }
}

run "unknown_environment_rejected" {
  command = plan

  variables {
    environment = "staging"
  }

  expect_failures = [var.environment]
}

run "memory_invalid_for_cpu_rejected" {
  command = plan

  variables {
    environment = "dev"
    ecs_cpu     = 256
    ecs_memory  = 4096
  }

  expect_failures = [output.ecs_memory]
}

run "cpu_not_a_fargate_size_rejected" {
  command = plan

  variables {
    environment = "dev"
    ecs_cpu     = 1000
  }

  expect_failures = [var.ecs_cpu]
}

run "storage_below_rds_minimum_rejected" {
  command = plan

  variables {
    environment   = "dev"
    db_storage_gb = 10
  }

  expect_failures = [var.db_storage_gb]
}
