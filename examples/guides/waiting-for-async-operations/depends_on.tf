# Stands for what started an asynchronous operation and knows the ID of its
# job, such as a script whose answer comes in as a variable (huaweicloud
# resources wait for their own jobs and export no job ID). Referring to it
# orders the wait after it.
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
