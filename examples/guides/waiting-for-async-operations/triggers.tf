variable "failover_job_id" {
  type = string
}

# Stands for whatever a new failover changes, such as the active site.
variable "active_site" {
  type    = string
  default = "primary"
}

# A new value in triggers replaces the resource and so waits again, as with
# time_sleep; a new job_id does too.
resource "hwcjobs_sdrs_job_wait" "failover" {
  job_id = var.failover_job_id

  triggers = {
    active_site = var.active_site
  }
}
