# Reads an SDRS job once, as it is now: a running job reads as running (use
# hwcjobs_sdrs_job_wait to wait for it). This ID is the example job of the
# SDRS API reference, which the local emulator also serves.
data "hwcjobs_sdrs_job" "create_protection_group" {
  job_id = "0000000062db92d70162db9d200f000a"

  # Bounds the read, retries included (default 5m).
  timeouts {
    read = "2m"
  }
}

output "protection_group_id" {
  value = data.hwcjobs_sdrs_job.create_protection_group.entities.server_group_id
}
