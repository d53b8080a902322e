# Stands for the resource that starts an SDRS protection group failover and
# exposes the ID of its job.
resource "terraform_data" "failover" {
  input = var.failover_job_id

  lifecycle {
    # after_update too: a failover started by an update is waited for as well.
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.hwcjobs_sdrs_job_wait.failover]
    }
  }
}

variable "failover_job_id" {
  type = string
}

action "hwcjobs_sdrs_job_wait" "failover" {
  config {
    job_id = terraform_data.failover.output
  }
}
