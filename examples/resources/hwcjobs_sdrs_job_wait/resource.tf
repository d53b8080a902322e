# The ID of an asynchronous SDRS job, such as a protection group failover,
# and a value that changes whenever a new failover is started.
variable "failover_job_id" {
  type = string
}

variable "failover_generation" {
  type    = string
  default = "1"
}

# Changing triggers replaces the resource and so waits again, as with
# time_sleep; changing job_id does too.
resource "hwcjobs_sdrs_job_wait" "failover" {
  job_id = var.failover_job_id

  triggers = {
    generation = var.failover_generation
  }
}

output "failover" {
  value = {
    server_group_id = hwcjobs_sdrs_job_wait.failover.entities.server_group_id
    ended           = hwcjobs_sdrs_job_wait.failover.end_time
  }
}
