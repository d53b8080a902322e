# The ID is job_id, or project_id/job_id for a job in another project.
import {
  to = hwcjobs_elb_job_wait.upgrade
  id = "ef6da45b-35d9-4c18-8c35-0b80d94ab9e6"
}
