# The ID of an asynchronous EVS job, such as creating a disk
# (createVolume): in a real configuration, the attribute of the resource or
# script that started it.
variable "create_disk_job_id" {
  type = string
}

# Waits, when created, until the job has finished (EVS writes INIT or
# WAITING_EXECUTE, then RUNNING or LISTENING, then SUCCESS or FAIL); fails
# the apply if it failed, with the error codes and reasons of the job and
# its sub-jobs.
resource "hwcjobs_evs_job_wait" "create_disk" {
  job_id = var.create_disk_job_id

  timeouts {
    create = "10m"
  }
}

# Created only once the disk exists. A createVolume job names the new disk
# in entities.volume_id; a batchCreateVolume job in each of its sub-jobs'
# entities.volume_id instead.
resource "terraform_data" "use_disk" {
  input = hwcjobs_evs_job_wait.create_disk.entities.volume_id
}
