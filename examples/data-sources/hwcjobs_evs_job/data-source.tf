# Reads an EVS job once, as it is now: a running job reads as running (use
# hwcjobs_evs_job_wait to wait for it). Creating, expanding, retyping or
# deleting disks starts such a job. This ID is the batch-creation example
# job of the EVS API reference, which the local emulator also serves.
data "hwcjobs_evs_job" "create_disks" {
  job_id = "21917a8d52a19b040152a9f2f1eb003e"
}

output "create_disks" {
  value = {
    status = data.hwcjobs_evs_job.create_disks.status # SUCCESS
    phase  = data.hwcjobs_evs_job.create_disks.phase  # succeeded
    # A batch job has one createVolume sub-job per disk; each sub-job's
    # entities.volume_id is the ID of the new disk.
    volume_ids = data.hwcjobs_evs_job.create_disks.entities.sub_jobs[*].entities.volume_id
  }
}
