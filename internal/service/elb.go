package service

// ELB describes the Elastic Load Balance v3 job API: template imports,
// instance copies and upgrades. The body wraps the job in a "job" object
// beside a request_id; the job carries its own project_id, exposed as
// job_project_id so that it never overwrites the project_id argument.
var ELB = New(Service{
	Name: "elb", Title: "ELB", Host: "elb",
	Path:         "/v3/{project_id}/elb/jobs/{job_id}",
	Envelope:     "job",
	RequestIDKey: "request_id",
	TimeLayouts:  []string{"2006-01-02T15:04:05Z"},
	Absent:       AbsentEmpty,
	Statuses: []StatusPhase{
		{"INIT", Pending}, {"RUNNING", Running}, {"ROLLBACKING", Running},
		{"SUCCESS", Succeeded}, {"COMPLETE", Succeeded},
		{"FAIL", Failed}, {"ROLLBACK_FAIL", Failed}, {"CANCEL", Failed},
	},
	Fields: append(JobFields(
		"The job status, verbatim: `INIT`, `RUNNING`, `ROLLBACKING`, `SUCCESS`, `COMPLETE`, `FAIL`, `ROLLBACK_FAIL` or `CANCEL`.",
		"error_msg", "The error message of a failed job; null when it succeeded."),
		Field{Key: "project_id", Attr: "job_project_id", Kind: String, Role: Project, Description: "The project ID the job body reports (its `project_id`); the `project_id` argument stays the project the job was read in."},
		Field{Key: "resource_id", Kind: String, Description: "The ID of the resource the job works on."},
		Field{Key: "sub_jobs", Kind: List, Role: SubJobs, Description: "The sub-jobs and how each went.", Fields: append(JobFields(
			"The sub-job status, verbatim, in the same words as the job's.",
			"error_msg", "The error message of a failed sub-job; null when it succeeded."),
			Field{Key: "project_id", Kind: String, Role: Project, Description: "The project ID."},
			Field{Key: "resource_id", Kind: String, Description: "The ID of the resource the sub-job works on."},
			Field{Key: "entities", Kind: List, Description: "The resources the sub-job works on.", Fields: []Field{
				{Key: "resource_id", Kind: String, Description: "The ID of the resource."},
				{Key: "resource_type", Kind: String, Example: "loadbalancer", Description: "The type of the resource, such as `loadbalancer`."},
			}},
		)},
	),
	NotFound: `{"error_msg":"Job {job_id} could not be found.","error_code":"ELB.8902","request_id":"{request_id}"}`,
	Examples: Examples{
		JobType: "UPGRADE", SubJobType: "UPGRADE_INIT",
		ErrorCode: "ELB.1003", Reason: "Upgrade of the load balancer failed.",
		SubErrorCode: "ELB.1004", SubReason: "Traffic switch timed out.",
	},
})
