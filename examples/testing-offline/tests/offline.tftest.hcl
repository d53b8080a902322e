# Run with the emulator started with ../jobs.json and its HW_* exports set:
# see the guide "Testing your configuration offline".

# A NIC attached by a job that takes three seconds, and an upgrade that
# succeeded: the emulator's ELB seed job, from the API reference page.
run "nic_attached_and_upgraded" {
  variables {
    attach_nic_job_id = "offline-attach-nic"
    upgrade_job_id    = "ef6da45b-35d9-4c18-8c35-0b80d94ab9e6"
  }

  assert {
    condition     = hwcjobs_ecs_job_wait.attach_nic.status == "SUCCESS" && hwcjobs_ecs_job_wait.attach_nic.phase == "succeeded"
    error_message = "the NIC job should have succeeded, got ${hwcjobs_ecs_job_wait.attach_nic.status}"
  }

  assert {
    condition     = length(output.nic_ids) == 1 && output.nic_ids[0] != null
    error_message = "one NIC should be attached"
  }

  assert {
    condition     = output.flavor == "upgraded"
    error_message = "the load balancer should be upgraded, got ${output.flavor}"
  }
}

# An upgrade that failed: recorded, with its error code, not an error.
run "upgrade_failed" {
  variables {
    attach_nic_job_id = "offline-attach-nic"
    upgrade_job_id    = "offline-upgrade-fails"
  }

  assert {
    condition     = hwcjobs_elb_job_wait.upgrade.phase == "failed" && hwcjobs_elb_job_wait.upgrade.error_code == "ELB.1003"
    error_message = "the upgrade should have failed with ELB.1003"
  }

  assert {
    condition     = output.flavor == "kept (ELB.1003)"
    error_message = "a failed upgrade should keep the old flavor, got ${output.flavor}"
  }

  assert {
    condition     = data.hwcjobs_elb_job.upgrade.status == "FAIL"
    error_message = "the data source should read the job as FAIL"
  }
}

# The emulator always has a job in every status (ecs-fail, elb-success, ...):
# a plan reads the data source without waiting for anything.
run "fixed_jobs_read_at_plan" {
  command = plan

  variables {
    attach_nic_job_id = "ecs-fail"
    upgrade_job_id    = "elb-success"
  }

  assert {
    condition     = data.hwcjobs_elb_job.upgrade.phase == "succeeded"
    error_message = "elb-success should read as succeeded"
  }
}
