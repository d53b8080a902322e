# Reads an ECS job once, as it is now: a running job reads as running (use
# hwcjobs_ecs_job_wait to wait for it). This ID is the example job of the
# ECS API reference, which the local emulator also serves.
data "hwcjobs_ecs_job" "create_server" {
  job_id = "2c9eb2c5544cbf6101544f0602af2b4f"

  # The service deletes a job about a day after it finished. From then on
  # the job reads as exists = false, every job attribute null, instead of
  # failing every plan.
  allow_missing = true
}

output "create_server" {
  # Null once the service has deleted the job.
  value = data.hwcjobs_ecs_job.create_server.exists ? {
    status = data.hwcjobs_ecs_job.create_server.status # SUCCESS
    phase  = data.hwcjobs_ecs_job.create_server.phase  # succeeded
    took   = "${data.hwcjobs_ecs_job.create_server.begin_time} to ${data.hwcjobs_ecs_job.create_server.end_time}"
    # The servers its sub-jobs created; a splat of a null list is [].
    server_ids = data.hwcjobs_ecs_job.create_server.entities.sub_jobs[*].entities.server_id
  } : null
}
