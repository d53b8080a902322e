package jobs

// SDRS describes the Storage Disaster Recovery Service job API
// (GET /v1/{project_id}/jobs/{job_id}): protection groups, protected
// instances, replication pairs and drills.
var SDRS = newService(Service{
	Name:        "sdrs",
	Title:       "SDRS",
	Endpoint:    "sdrs",
	Path:        "/v1/{project_id}/jobs/{job_id}",
	ReasonField: "fail_reason",
	Statuses: []StatusPhase{
		{"INIT", Pending}, {"RUNNING", Running}, {"SUCCESS", Succeeded}, {"FAIL", Failed},
	},
	Fields: append(jobFields(
		"The job status, verbatim: `INIT`, `RUNNING`, `SUCCESS` or `FAIL`.",
		"fail_reason", "The cause of a failed job; null when it succeeded."),
		Field{Name: "entities", Kind: Object, Description: "The objects of the job.", Fields: append(sdrsEntities(),
			Field{Name: "sub_jobs", Kind: List, Description: "The sub-jobs and how each went.", Fields: append(jobFields(
				"The sub-job status, verbatim: `INIT`, `RUNNING`, `SUCCESS` or `FAIL`.",
				"fail_reason", "The cause of a failed sub-job; null when it succeeded."),
				Field{Name: "entities", Kind: Object, Description: "The objects of the sub-job.", Fields: sdrsEntities()},
			)},
		)},
	),
})

// sdrsEntities lists the ids an SDRS job and each of its sub-jobs work on.
func sdrsEntities() []Field {
	return stringFields(
		"replication_pair_id", "The ID of the replication pair.",
		"volume_ids", "The IDs of the EVS disks that make up the replication pair, comma-separated as the API sends them.",
		"server_group_id", "The ID of the protection group.",
		"protected_instance_id", "The ID of the protected instance.",
		"native_server_id", "The ID of the server at the disaster recovery site.",
		"nic_id", "The ID of the NIC.",
	)
}
