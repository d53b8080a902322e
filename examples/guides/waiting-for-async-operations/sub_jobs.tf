locals {
  # ECS and SDRS nest sub-jobs under entities; ELB and SFS Turbo keep them
  # at the top. A splat ([*]) turns a job without sub-jobs (null) into [].
  nic_sub_jobs = hwcjobs_ecs_job_wait.attach_nic.entities.sub_jobs[*]

  # Every sub-job has its own status and normalised phase.
  failed_sub_jobs = [
    for s in local.nic_sub_jobs : "${s.job_id} (${s.job_type}): ${coalesce(s.error_code, "-")}"
    if s.phase == "failed"
  ]
  nic_ids = compact(local.nic_sub_jobs[*].entities.nic_id)
}

output "attached_nic_ids" {
  value = local.nic_ids
}
