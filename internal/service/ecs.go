package service

// ECS describes the Elastic Cloud Server job API: creating, deleting or
// resizing servers, batch operations, and attaching or detaching NICs.
var ECS = New(Service{
	Name: "ecs", Title: "ECS", Host: "ecs",
	Path:        "/v1/{project_id}/jobs/{job_id}",
	TimeLayouts: []string{"2006-01-02T15:04:05.000Z"},
	HexIDs:      true,
	Statuses: []StatusPhase{
		{"INIT", Pending}, {"PENDING_PAYMENT", Pending}, {"RUNNING", Running},
		{"SUCCESS", Succeeded}, {"FAIL", Failed},
	},
	StatusHints: map[string]string{
		"PENDING_PAYMENT": "The job awaits payment of its yearly/monthly order, or the order was cancelled: a cancelled order leaves the job in PENDING_PAYMENT until the service deletes it 14 days later. Pay or cancel the order in the console.",
	},
	Fields: append(JobFields(
		"The job status, verbatim: `INIT`, `PENDING_PAYMENT` (a yearly/monthly order awaits payment; a cancelled order stays so until the job is deleted 14 days later), `RUNNING`, `SUCCESS` or `FAIL`. Finished jobs are deleted one day later.",
		"fail_reason", "The cause of a failed job; null when it succeeded."),
		Field{Key: "entities", Kind: Object, Description: "The objects of the job; what is shown depends on the job.", Fields: []Field{
			{Key: "server_id", Kind: String, Description: "The ID of the server, for a server-related job."},
			{Key: "nic_id", Kind: String, Description: "The ID of the NIC, for a NIC-related job."},
			{Key: "sub_jobs_total", Kind: Int, Role: SubJobCount, Description: "The number of sub-jobs."},
			{Key: "sub_jobs", Kind: List, Role: SubJobs, Description: "The sub-jobs and how each went.", Fields: append(JobFields(
				"The sub-job status, verbatim: `INIT`, `PENDING_PAYMENT`, `RUNNING`, `SUCCESS` or `FAIL`.",
				"fail_reason", "The cause of a failed sub-job; null when it succeeded."),
				Field{Key: "entities", Kind: Object, Description: "The objects of the sub-job.", Fields: append(StringFields(
					"server_id", "The ID of the server, for a server-related sub-job.",
					"nic_id", "The ID of the NIC, for a NIC-related sub-job.",
				), Field{Key: "errorcode_message", Kind: String, Role: Reason, Description: "The cause of a failed sub-job, as the server reports it."})},
			)},
		}},
	),
	NotFound: `{"code":"Ecs.0114","message":"Job [{job_id}] is not found."}`,
	Examples: Examples{
		JobType: "createServer", SubJobType: "createSingleServer",
		ErrorCode: "Ecs.0013", Reason: "Insufficient EIP quota.",
		SubErrorCode: "Ecs.0610", SubReason: "The EIP quota of the sub-job's server is exceeded.",
	},
})
