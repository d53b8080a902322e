# Reads the job on every plan and warns, without failing the plan, when it
# did not succeed. The service deletes the job about a day after it
# finished: allow_missing reads it then as exists = false, which passes.
check "attach_nic_succeeded" {
  data "hwcjobs_ecs_job" "attach_nic" {
    job_id        = var.attach_nic_job_id
    allow_missing = true
  }

  assert {
    condition     = !data.hwcjobs_ecs_job.attach_nic.exists || data.hwcjobs_ecs_job.attach_nic.phase == "succeeded"
    error_message = "ECS job ${data.hwcjobs_ecs_job.attach_nic.job_id} is ${data.hwcjobs_ecs_job.attach_nic.phase} (status ${data.hwcjobs_ecs_job.attach_nic.status}), not succeeded."
  }
}
