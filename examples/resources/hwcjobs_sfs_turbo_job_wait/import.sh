# A job that has already finished can be imported: its ID, in the
# provider's project, or project_id/job_id. The import reads the job once;
# the job_id in configuration must match, or the next plan replaces it.
terraform import hwcjobs_sfs_turbo_job_wait.bind_ldap 26f6b565-xxxx-XXXX-xxxx-03f0bd975433
terraform import hwcjobs_sfs_turbo_job_wait.bind_ldap 0605767ea300d5762fd2c0070d1a2b3c/26f6b565-xxxx-XXXX-xxxx-03f0bd975433
