variable "upgrade_job_id" {
  type = string
}

# A failed job is recorded with a warning instead of failing the apply.
resource "hwcjobs_elb_job_wait" "upgrade" {
  job_id        = var.upgrade_job_id
  allow_failure = true
}

# Later resources see how it went (count and for_each cannot: the phase is
# known only once the wait has been applied).
resource "terraform_data" "after_upgrade" {
  input = hwcjobs_elb_job_wait.upgrade.phase == "succeeded" ? "use the upgraded flavor" : "keep the old flavor"
}

output "upgrade" {
  value = {
    phase      = hwcjobs_elb_job_wait.upgrade.phase
    error_code = hwcjobs_elb_job_wait.upgrade.error_code
    error_msg  = hwcjobs_elb_job_wait.upgrade.error_msg
  }
}
