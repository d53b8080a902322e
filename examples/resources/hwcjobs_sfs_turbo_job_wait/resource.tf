# The ID of an asynchronous SFS Turbo job, such as binding a file system to
# an LDAP server.
variable "bind_ldap_job_id" {
  type = string
}

# region and project_id override the provider's for this one job.
resource "hwcjobs_sfs_turbo_job_wait" "bind_ldap" {
  job_id     = var.bind_ldap_job_id
  region     = "cn-north-4"
  project_id = "0605767ea300d5762fd2c0070d1a2b3c"

  timeouts {
    create = "10m"
  }
}

# Mounted by clients only once LDAP is bound.
resource "terraform_data" "mount" {
  input = hwcjobs_sfs_turbo_job_wait.bind_ldap.job_id

  depends_on = [hwcjobs_sfs_turbo_job_wait.bind_ldap]
}
