# Reads an ELB (v3) job once, as it is now: a running job reads as running
# (use hwcjobs_elb_job_wait to wait for it). This ID is the example job of
# the ELB API reference, which the local emulator also serves.
data "hwcjobs_elb_job" "upgrade" {
  job_id = "ef6da45b-35d9-4c18-8c35-0b80d94ab9e6"
}

output "upgrade" {
  value = {
    status      = data.hwcjobs_elb_job.upgrade.status # COMPLETE
    phase       = data.hwcjobs_elb_job.upgrade.phase  # succeeded
    resource_id = data.hwcjobs_elb_job.upgrade.resource_id
    # ELB jobs carry their own project ID; project_id stays the one read in.
    job_project_id = data.hwcjobs_elb_job.upgrade.job_project_id
    steps          = [for s in data.hwcjobs_elb_job.upgrade.sub_jobs[*] : "${s.job_type}: ${s.status}"]
  }
}
