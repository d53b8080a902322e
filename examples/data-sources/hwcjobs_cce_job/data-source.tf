# Reads a CCE job once, as it is now: a running job reads as running (use
# hwcjobs_cce_job_wait to wait for it). Creating or deleting a cluster, a
# node or a node pool starts such a job. This ID (the job's metadata.uid) is
# the example job of the CCE API reference, which the local emulator also
# serves.
data "hwcjobs_cce_job" "create_cluster" {
  job_id = "354331b2c-229a-11e8-9c75-0255ac100ceb"
}

output "create_cluster" {
  value = {
    type = data.hwcjobs_cce_job.create_cluster.spec.type # CreateCluster
    # status.phase is CCE's own word, phase the same normalised.
    status = data.hwcjobs_cce_job.create_cluster.status.phase # Running
    phase  = data.hwcjobs_cce_job.create_cluster.phase        # running
    # The cluster the job creates.
    cluster_id = data.hwcjobs_cce_job.create_cluster.spec.resource_id
    steps = [
      for s in data.hwcjobs_cce_job.create_cluster.spec.sub_jobs : "${s.spec.type}: ${s.status.phase}"
    ]
  }
}
