package jobs

// ECS describes the Elastic Cloud Server job API
// (GET /v1/{project_id}/jobs/{job_id}): creating, deleting or resizing
// servers, batch operations, and attaching or detaching NICs.
var ECS = newService(Service{
	Name:        "ecs",
	Title:       "ECS",
	Endpoint:    "ecs",
	Path:        "/v1/{project_id}/jobs/{job_id}",
	ReasonField: "fail_reason",
	Statuses: []StatusPhase{
		{"INIT", Pending}, {"PENDING_PAYMENT", Pending}, {"RUNNING", Running},
		{"SUCCESS", Succeeded}, {"FAIL", Failed},
	},
	StatusHints: map[string]string{
		"PENDING_PAYMENT": "The job awaits payment of its yearly/monthly order, or the order was cancelled: a cancelled order leaves the job in PENDING_PAYMENT until the service deletes it 14 days later. Pay or cancel the order in the console.",
	},
	Fields: append(jobFields(
		"The job status, verbatim: `INIT`, `PENDING_PAYMENT` (a yearly/monthly order awaits payment; a cancelled order stays so until the job is deleted 14 days later), `RUNNING`, `SUCCESS` or `FAIL`. Finished jobs are deleted one day later.",
		"fail_reason", "The cause of a failed job; null when it succeeded."),
		Field{Name: "entities", Kind: Object, Description: "The objects of the job; what is shown depends on the job.", Fields: []Field{
			{Name: "server_id", Kind: String, Description: "The ID of the server, for a server-related job."},
			{Name: "nic_id", Kind: String, Description: "The ID of the NIC, for a NIC-related job."},
			{Name: "sub_jobs_total", Kind: Int, Description: "The number of sub-jobs."},
			{Name: "sub_jobs", Kind: List, Description: "The sub-jobs and how each went.", Fields: append(jobFields(
				"The sub-job status, verbatim: `INIT`, `PENDING_PAYMENT`, `RUNNING`, `SUCCESS` or `FAIL`.",
				"fail_reason", "The cause of a failed sub-job; null when it succeeded."),
				Field{Name: "entities", Kind: Object, Description: "The objects of the sub-job.", Fields: stringFields(
					"server_id", "The ID of the server, for a server-related sub-job.",
					"nic_id", "The ID of the NIC, for a NIC-related sub-job.",
					"errorcode_message", "The cause of a failed sub-job, as the server reports it.",
				)},
			)},
		}},
	),
})
