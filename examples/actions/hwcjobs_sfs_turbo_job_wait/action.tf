# The ID of an asynchronous SFS Turbo job, such as binding a file system to
# an LDAP server.
variable "bind_ldap_job_id" {
  type = string
}

# region and project_id override the provider's for this one job. Run it
# with: terraform apply -invoke=action.hwcjobs_sfs_turbo_job_wait.bind_ldap
action "hwcjobs_sfs_turbo_job_wait" "bind_ldap" {
  config {
    job_id     = var.bind_ldap_job_id
    region     = "cn-north-4"
    project_id = "0605767ea300d5762fd2c0070d1a2b3c"
    timeout    = "10m"
  }
}
