# Reads the job on every plan and warns, without failing the plan, when it
# did not succeed. A scoped data source's own errors are warnings here too,
# such as a job that the service deleted after about a day.
check "attach_nic_succeeded" {
  data "hwcjobs_ecs_job" "attach_nic" {
    job_id = var.attach_nic_job_id
  }

  assert {
    condition     = data.hwcjobs_ecs_job.attach_nic.phase == "succeeded"
    error_message = "ECS job ${data.hwcjobs_ecs_job.attach_nic.job_id} is ${data.hwcjobs_ecs_job.attach_nic.phase} (status ${data.hwcjobs_ecs_job.attach_nic.status}), not succeeded."
  }
}
