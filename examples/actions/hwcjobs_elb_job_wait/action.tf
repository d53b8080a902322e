# The ID of an asynchronous ELB (v3) job, such as a load balancer upgrade
# started outside this configuration.
variable "upgrade_job_id" {
  type = string
}

# Watch it on demand, without a plan of resources:
#
#   terraform apply -invoke=action.hwcjobs_elb_job_wait.upgrade -var upgrade_job_id=...
#
# With allow_failure, a failed job ends the action with a warning that
# names it instead of an error.
action "hwcjobs_elb_job_wait" "upgrade" {
  config {
    job_id        = var.upgrade_job_id
    allow_failure = true
    timeout       = "1h"
  }
}
