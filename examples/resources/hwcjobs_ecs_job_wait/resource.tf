# The ID of an asynchronous ECS job, such as attaching a NIC to a server,
# from whatever started it: a script or pipeline that called the API, or
# another configuration's output.
variable "attach_nic_job_id" {
  type = string
}

# Waits, when created, until the job has finished; fails the apply if it
# failed, with the error codes and reasons of the job and its sub-jobs.
resource "hwcjobs_ecs_job_wait" "attach_nic" {
  job_id = var.attach_nic_job_id

  timeouts {
    create = "20m"
  }
}

# Created only once the NIC is attached.
resource "terraform_data" "configure_nic" {
  input = hwcjobs_ecs_job_wait.attach_nic.entities.sub_jobs[*].entities.nic_id

  depends_on = [hwcjobs_ecs_job_wait.attach_nic]
}
