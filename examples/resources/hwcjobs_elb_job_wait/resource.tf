# The ID of an asynchronous ELB (v3) job, such as a load balancer upgrade.
variable "upgrade_job_id" {
  type = string
}

# With allow_failure, a failed job is recorded (with a warning) instead of
# failing the apply, so that later resources can decide what to do.
resource "hwcjobs_elb_job_wait" "upgrade" {
  job_id        = var.upgrade_job_id
  allow_failure = true

  timeouts {
    create = "1h"
  }
}

output "upgrade" {
  value = {
    phase       = hwcjobs_elb_job_wait.upgrade.phase # succeeded or failed
    resource_id = hwcjobs_elb_job_wait.upgrade.resource_id
    error_code  = hwcjobs_elb_job_wait.upgrade.error_code
    error_msg   = hwcjobs_elb_job_wait.upgrade.error_msg
    failed_steps = [
      for s in hwcjobs_elb_job_wait.upgrade.sub_jobs[*] : s.job_type if s.phase == "failed"
    ]
  }
}
