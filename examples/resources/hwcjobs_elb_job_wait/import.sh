# A job that has already finished can be imported: its ID, in the
# provider's project, or project_id/job_id. The import reads the job once;
# the job_id in configuration must match, or the next plan replaces it.
terraform import hwcjobs_elb_job_wait.upgrade ef6da45b-35d9-4c18-8c35-0b80d94ab9e6
terraform import hwcjobs_elb_job_wait.upgrade 0605767ea300d5762fd2c0070d1a2b3c/ef6da45b-35d9-4c18-8c35-0b80d94ab9e6
