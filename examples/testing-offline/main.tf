# A module of your own that waits for two asynchronous jobs: what
# `terraform test` checks offline, against the local emulator, in
# tests/offline.tftest.hcl.
terraform {
  required_providers {
    hwcjobs = {
      source = "hwcjobs/hwcjobs"
    }
  }
}

# Region, credentials and endpoints come from the HW_* variables that the
# emulator prints (or from your account's, for real).
provider "hwcjobs" {}

variable "attach_nic_job_id" {
  description = "The ECS job that attaches a NIC to a server."
  type        = string
}

variable "upgrade_job_id" {
  description = "The ELB job that upgrades a load balancer."
  type        = string
}

# Blocks until the NIC is attached; fails the apply if the job failed.
resource "hwcjobs_ecs_job_wait" "attach_nic" {
  job_id = var.attach_nic_job_id

  timeouts {
    create = "2m"
  }
}

# A failed upgrade is recorded rather than failing the apply.
resource "hwcjobs_elb_job_wait" "upgrade" {
  job_id        = var.upgrade_job_id
  allow_failure = true
}

# Read once, without waiting.
data "hwcjobs_elb_job" "upgrade" {
  job_id = var.upgrade_job_id
}

output "nic_ids" {
  value = [for sub in hwcjobs_ecs_job_wait.attach_nic.entities.sub_jobs : sub.entities.nic_id]
}

output "flavor" {
  value = hwcjobs_elb_job_wait.upgrade.phase == "succeeded" ? "upgraded" : "kept (${hwcjobs_elb_job_wait.upgrade.error_code})"
}
