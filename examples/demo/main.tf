# What `make demo` applies against the local emulator. scripts/demo.sh sets
# HW_REGION_NAME, HW_ACCESS_KEY, HW_SECRET_KEY and the HW_*_ENDPOINT
# variables, so the provider block stays empty, as with a real account.
terraform {
  required_providers {
    hwcjobs = {
      source = "hwcjobs/hwcjobs"
    }
  }
}

provider "hwcjobs" {}

# The example job of the ECS API page: finished in 2016.
data "hwcjobs_ecs_job" "seed" {
  job_id = "2c9eb2c5544cbf6101544f0602af2b4f"
}

# A job still running: a data source reads it once, as it is.
data "hwcjobs_ecs_job" "running" {
  job_id = "ecs-running"
}

# Waits for a NIC attachment that the emulator finishes a few seconds after
# it starts. In a real configuration the job ID comes from the resource that
# started the job.
resource "hwcjobs_ecs_job_wait" "attach_nic" {
  job_id = "demo-attach-nic"

  timeouts {
    create = "2m"
  }
}

# Created only once the job has succeeded.
resource "terraform_data" "after_nic" {
  input      = hwcjobs_ecs_job_wait.attach_nic.end_time
  depends_on = [hwcjobs_ecs_job_wait.attach_nic]
}

# The example jobs of the EVS, BMS and CCE API pages: a batch of two disks,
# a bare metal server, and a cluster still being created.
data "hwcjobs_evs_job" "seed" {
  job_id = "21917a8d52a19b040152a9f2f1eb003e"
}

data "hwcjobs_bms_job" "seed" {
  job_id = "2c9eb2c5544cbf6101544f0602af2b4f"
}

data "hwcjobs_cce_job" "seed" {
  job_id = "354331b2c-229a-11e8-9c75-0255ac100ceb"
}

# Waits for a disk expansion that goes through every EVS status on the way:
# WAITING_EXECUTE, RUNNING, LISTENING, then SUCCESS.
resource "hwcjobs_evs_job_wait" "extend_disk" {
  job_id = "demo-extend-disk"

  timeouts {
    create = "2m"
  }
}

output "seed_job" {
  value = {
    job      = "${data.hwcjobs_ecs_job.seed.job_type} ${data.hwcjobs_ecs_job.seed.status} (${data.hwcjobs_ecs_job.seed.phase})"
    began    = data.hwcjobs_ecs_job.seed.begin_time
    ended    = data.hwcjobs_ecs_job.seed.end_time
    sub_jobs = [for s in data.hwcjobs_ecs_job.seed.entities.sub_jobs : "${s.job_type} ${s.status} (${s.phase}) on server ${s.entities.server_id}, ${s.begin_time} to ${s.end_time}"]
  }
}

output "running_job" {
  value = {
    job      = "${data.hwcjobs_ecs_job.running.job_type} ${data.hwcjobs_ecs_job.running.status} (${data.hwcjobs_ecs_job.running.phase})"
    began    = data.hwcjobs_ecs_job.running.begin_time
    sub_jobs = [for s in data.hwcjobs_ecs_job.running.entities.sub_jobs : "${s.job_type} ${s.status} (${s.phase})"]
  }
}

output "waited_job" {
  value = {
    job      = "${hwcjobs_ecs_job_wait.attach_nic.job_type} ${hwcjobs_ecs_job_wait.attach_nic.status} (${hwcjobs_ecs_job_wait.attach_nic.phase})"
    began    = hwcjobs_ecs_job_wait.attach_nic.begin_time
    ended    = hwcjobs_ecs_job_wait.attach_nic.end_time
    then_ran = terraform_data.after_nic.id
  }
}

output "evs_job" {
  value = {
    job   = "${data.hwcjobs_evs_job.seed.job_type} ${data.hwcjobs_evs_job.seed.status} (${data.hwcjobs_evs_job.seed.phase})"
    disks = [for s in data.hwcjobs_evs_job.seed.entities.sub_jobs : "${s.job_type} ${s.status} (${s.phase}): disk ${s.entities.volume_id}"]
  }
}

output "bms_job" {
  value = {
    job     = "${data.hwcjobs_bms_job.seed.job_type} ${data.hwcjobs_bms_job.seed.status} (${data.hwcjobs_bms_job.seed.phase})"
    servers = [for s in data.hwcjobs_bms_job.seed.entities.sub_jobs : "${s.job_type} ${s.status} (${s.phase}): server ${s.entities.server_id}"]
  }
}

output "cce_job" {
  value = {
    job      = "${data.hwcjobs_cce_job.seed.spec.type} ${data.hwcjobs_cce_job.seed.status.phase} (${data.hwcjobs_cce_job.seed.phase})"
    created  = data.hwcjobs_cce_job.seed.metadata.creation_timestamp
    sub_jobs = [for s in data.hwcjobs_cce_job.seed.spec.sub_jobs : "${s.spec.type} ${s.status.phase} (${s.phase})"]
  }
}

output "waited_evs_job" {
  value = "${hwcjobs_evs_job_wait.extend_disk.job_type} ${hwcjobs_evs_job_wait.extend_disk.status} (${hwcjobs_evs_job_wait.extend_disk.phase}), ${hwcjobs_evs_job_wait.extend_disk.begin_time} to ${hwcjobs_evs_job_wait.extend_disk.end_time}"
}
