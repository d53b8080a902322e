# Reads an SFS Turbo job once, as it is now: a running job reads as running
# (use hwcjobs_sfs_turbo_job_wait to wait for it). This ID is the example
# job of the SFS Turbo API reference (redacted there with x), which the
# local emulator also serves. Job IDs are opaque strings.
data "hwcjobs_sfs_turbo_job" "bind_ldap" {
  job_id = "26f6b565-xxxx-XXXX-xxxx-03f0bd975433"

  # Overrides the provider's region and project for this one job.
  region     = "cn-north-4"
  project_id = "0605767ea300d5762fd2c0070d1a2b3c"
}

output "bind_ldap" {
  value = "${data.hwcjobs_sfs_turbo_job.bind_ldap.job_type}: ${data.hwcjobs_sfs_turbo_job.bind_ldap.status} (${data.hwcjobs_sfs_turbo_job.bind_ldap.phase})"
}
