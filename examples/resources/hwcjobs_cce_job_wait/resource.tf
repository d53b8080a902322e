# The ID of an asynchronous CCE job, such as adding a node to a cluster
# (CreateNode): in a real configuration, the attribute of the resource or
# script that started it.
variable "create_node_job_id" {
  type = string
}

# Waits, when created, until the job and its sub-jobs have finished; fails
# the apply if it failed, with the type (spec.type) and reason
# (status.reason) of the job and of each failed sub-job.
resource "hwcjobs_cce_job_wait" "create_node" {
  job_id = var.create_node_job_id

  timeouts {
    create = "30m"
  }
}

# Created only once the node is up. spec.resource_id is the ID of the
# resource the job works on (for CreateNode, the new node); a sub-job's
# spec.extend_param["serverID"], when it has one, names the server it
# installs.
resource "terraform_data" "label_node" {
  input = {
    node_id    = hwcjobs_cce_job_wait.create_node.spec.resource_id
    server_ids = [for s in hwcjobs_cce_job_wait.create_node.spec.sub_jobs : try(s.spec.extend_param["serverID"], null)]
  }
}
