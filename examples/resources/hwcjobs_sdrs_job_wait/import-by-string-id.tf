# The ID is job_id, or project_id/job_id for a job in another project.
import {
  to = hwcjobs_sdrs_job_wait.failover
  id = "0000000062db92d70162db9d200f000a"
}
