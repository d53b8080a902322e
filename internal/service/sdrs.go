package service

// SDRS describes the Storage Disaster Recovery Service job API: protection
// groups, protected instances, replication pairs and drills. Its page
// documents times as yyyy-MM-dd'T'HH:mm:ss.SSSZ: a numeric offset is
// accepted beside the example's Z. It leaves end_time out while a job runs.
var SDRS = New(Service{
	Name: "sdrs", Title: "SDRS", Host: "sdrs",
	Path: "/v1/{project_id}/jobs/{job_id}",
	TimeLayouts: []string{
		"2006-01-02T15:04:05.000Z", "2006-01-02T15:04:05.000-07:00", "2006-01-02T15:04:05.000-0700",
	},
	HexIDs: true,
	Statuses: []StatusPhase{
		{"INIT", Pending}, {"RUNNING", Running}, {"SUCCESS", Succeeded}, {"FAIL", Failed},
	},
	Fields: sdrsJob(true),
	// Not shown by the page; invented in the service's error shape.
	NotFound: `{"error":{"code":"SDRS.1301","message":"The job does not exist."}}`,
	Examples: Examples{
		JobType: "createProtectedInstanceNoCG", SubJobType: "attachReplicationPairNew",
		ErrorCode: "SDRS.1015", Reason: "Failed to create the protected instance.",
		SubErrorCode: "SDRS.0513", SubReason: "The replication pair could not be attached.",
	},
})

// sdrsJob is an SDRS job or, without sub-jobs, one of its sub-jobs.
func sdrsJob(top bool) []Field {
	what := "job"
	if !top {
		what = "sub-job"
	}
	fields := JobFields(
		"The "+what+" status, verbatim: `INIT`, `RUNNING`, `SUCCESS` or `FAIL`.",
		"fail_reason", "The cause of a failed "+what+"; null when it succeeded.")
	fields[4].Absent = Writes(AbsentOmit) // end_time
	entities := StringFields(
		"replication_pair_id", "The ID of the replication pair.",
		"volume_ids", "The IDs of the EVS disks that make up the replication pair, comma-separated as the API sends them.",
		"server_group_id", "The ID of the protection group.",
		"protected_instance_id", "The ID of the protected instance.",
		"native_server_id", "The ID of the server at the disaster recovery site.",
		"nic_id", "The ID of the NIC.",
	)
	if top {
		entities = append(entities, Field{Key: "sub_jobs", Kind: List, Role: SubJobs, Description: "The sub-jobs and how each went.", Fields: sdrsJob(false)})
	}
	return append(fields, Field{Key: "entities", Kind: Object, Description: "The objects of the " + what + ".", Fields: entities})
}
