# Reads an ECS job once, as it is now: a running job reads as running (use
# hwcjobs_ecs_job_wait to wait for it). This ID is the example job of the
# ECS API reference, which the local emulator also serves.
data "hwcjobs_ecs_job" "create_server" {
  job_id = "2c9eb2c5544cbf6101544f0602af2b4f"
}

output "create_server" {
  value = {
    status = data.hwcjobs_ecs_job.create_server.status # SUCCESS
    phase  = data.hwcjobs_ecs_job.create_server.phase  # succeeded
    took   = "${data.hwcjobs_ecs_job.create_server.begin_time} to ${data.hwcjobs_ecs_job.create_server.end_time}"
    # The servers its sub-jobs created; a splat of a null list is [].
    server_ids = data.hwcjobs_ecs_job.create_server.entities.sub_jobs[*].entities.server_id
  }
}
