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
# it starts. In a real configuration the job ID comes from whatever started
# the job, such as a script that called the API.
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
