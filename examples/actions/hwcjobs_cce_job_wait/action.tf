# Stands for the resource or script that adds a node to a CCE cluster and
# exposes the ID of its job (CreateNode).
resource "terraform_data" "create_node" {
  input = var.create_node_job_id

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.hwcjobs_cce_job_wait.create_node]
    }
  }
}

variable "create_node_job_id" {
  type = string
}

# A failed job fails the apply with the type (spec.type) and reason
# (status.reason) of the job and of each failed sub-job; allow_failure turns
# that into a warning.
action "hwcjobs_cce_job_wait" "create_node" {
  config {
    job_id        = terraform_data.create_node.output
    allow_failure = true
  }
}
