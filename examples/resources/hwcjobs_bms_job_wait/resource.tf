# The ID of an asynchronous BMS job, such as creating bare metal servers
# (baremetalBatchCreate): in a real configuration, the attribute of the
# resource or script that started it.
variable "create_servers_job_id" {
  type = string
}

# Waits, when created, until the job has finished; fails the apply if it
# failed, with the error codes and reasons of the job and its sub-jobs. A
# yearly/monthly order waits in PENDING_PAYMENT until it is paid: the
# timeout error says so.
resource "hwcjobs_bms_job_wait" "create_servers" {
  job_id = var.create_servers_job_id

  timeouts {
    create = "1h"
  }
}

# Created only once the servers exist; each sub-job's entities.server_id is
# the ID of a new server.
resource "terraform_data" "configure_servers" {
  input = hwcjobs_bms_job_wait.create_servers.entities.sub_jobs[*].entities.server_id
}
