# The ID is job_id, or project_id/job_id for a job in another project.
import {
  to = hwcjobs_ecs_job_wait.attach_nic
  id = "2c9eb2c5544cbf6101544f0602af2b4f"
}
