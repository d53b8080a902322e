# A job that has already finished can be imported: its ID, in the
# provider's project, or project_id/job_id. The import reads the job once;
# the job_id in configuration must match, or the next plan replaces it.
terraform import hwcjobs_sdrs_job_wait.failover 0000000062db92d70162db9d200f000a
terraform import hwcjobs_sdrs_job_wait.failover 0605767ea300d5762fd2c0070d1a2b3c/0000000062db92d70162db9d200f000a
