# The ID is job_id, or project_id/job_id for a job in another project.
import {
  to = hwcjobs_sfs_turbo_job_wait.bind_ldap
  id = "26f6b565-xxxx-XXXX-xxxx-03f0bd975433"
}
