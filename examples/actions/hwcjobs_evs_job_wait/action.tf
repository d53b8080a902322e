# Stands for the resource or script that creates a disk and exposes the ID
# of its EVS job (createVolume).
resource "terraform_data" "create_disk" {
  input = var.create_disk_job_id

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.hwcjobs_evs_job_wait.create_disk]
    }
  }
}

variable "create_disk_job_id" {
  type = string
}

# Prints a line at every change (INIT or WAITING_EXECUTE, RUNNING or
# LISTENING, SUCCESS or FAIL) and at least every 30 seconds.
action "hwcjobs_evs_job_wait" "create_disk" {
  config {
    job_id  = terraform_data.create_disk.output
    timeout = "10m"
  }
}
