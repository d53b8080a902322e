# Reads a BMS job once, as it is now: a running job reads as running (use
# hwcjobs_bms_job_wait to wait for it). Creating bare metal servers,
# changing their power state, reinstalling or changing their OS, and
# attaching or detaching disks start such a job. This ID is the example job
# of the BMS API reference, which the local emulator also serves.
data "hwcjobs_bms_job" "create_servers" {
  job_id = "2c9eb2c5544cbf6101544f0602af2b4f"
}

output "create_servers" {
  value = {
    status   = data.hwcjobs_bms_job.create_servers.status # SUCCESS
    phase    = data.hwcjobs_bms_job.create_servers.phase  # succeeded
    sub_jobs = data.hwcjobs_bms_job.create_servers.entities.sub_jobs_total
    # One baremetalSingleCreate sub-job per server; each sub-job's
    # entities.server_id is the ID of the new server.
    server_ids = data.hwcjobs_bms_job.create_servers.entities.sub_jobs[*].entities.server_id
  }
}
