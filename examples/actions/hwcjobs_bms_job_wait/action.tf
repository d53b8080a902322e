# The ID of an asynchronous BMS job, such as creating bare metal servers
# (baremetalBatchCreate), started outside this configuration.
variable "create_servers_job_id" {
  type = string
}

# Watch it on demand; each line counts the sub-jobs (one per server) that
# have finished:
#
#   terraform apply -invoke=action.hwcjobs_bms_job_wait.create_servers -var create_servers_job_id=...
#
# A yearly/monthly order waits in PENDING_PAYMENT until it is paid: the
# timeout error says so.
action "hwcjobs_bms_job_wait" "create_servers" {
  config {
    job_id  = var.create_servers_job_id
    timeout = "1h"
  }
}
