# Stands for the resource that starts an asynchronous operation and exposes
# the ID of its job, for example an attribute of a huaweicloud resource or
# the output of a script. Referring to it orders the wait after it.
resource "terraform_data" "attach_nic" {
  input = {
    job_id = var.attach_nic_job_id
  }
}

variable "attach_nic_job_id" {
  type        = string
  description = "The job ID that the API answered when the NIC attachment started."
}

# Blocks the apply until the job has finished; fails it if the job failed.
resource "hwcjobs_ecs_job_wait" "attach_nic" {
  job_id = terraform_data.attach_nic.output.job_id

  timeouts {
    create = "20m"
  }
}

# Anything that needs the NIC attached depends on the wait, not on the
# resource that started the job.
resource "terraform_data" "configure_nic" {
  input = "configure the NIC"

  depends_on = [hwcjobs_ecs_job_wait.attach_nic]
}
