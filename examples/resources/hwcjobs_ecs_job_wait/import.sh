# A job that has already finished can be imported: its ID, in the
# provider's project, or project_id/job_id. The import reads the job once;
# the job_id in configuration must match, or the next plan replaces it.
terraform import hwcjobs_ecs_job_wait.attach_nic 2c9eb2c5544cbf6101544f0602af2b4f
terraform import hwcjobs_ecs_job_wait.attach_nic 0605767ea300d5762fd2c0070d1a2b3c/2c9eb2c5544cbf6101544f0602af2b4f
