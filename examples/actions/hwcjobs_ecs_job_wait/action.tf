# Stands for the resource that starts an asynchronous ECS operation, such as
# attaching a NIC to a server, and exposes the ID of its job.
resource "terraform_data" "attach_nic" {
  input = var.attach_nic_job_id

  lifecycle {
    # Once it is created, wait for its job, with progress lines in the CLI.
    action_trigger {
      events  = [after_create]
      actions = [action.hwcjobs_ecs_job_wait.x]
    }
  }
}

variable "attach_nic_job_id" {
  type        = string
  description = "The job ID that the API answered when the NIC attachment started."
}

# Waits until the job has finished, printing a line at every change of
# status and at least every 30 seconds; fails the apply if the job failed.
# Once terraform_data.attach_nic is in state, the same action runs on its
# own, changing nothing, with:
#
#   terraform apply -invoke=action.hwcjobs_ecs_job_wait.x
action "hwcjobs_ecs_job_wait" "x" {
  config {
    job_id  = terraform_data.attach_nic.output
    timeout = "20m"
  }
}
