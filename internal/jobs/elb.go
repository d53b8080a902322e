package jobs

// ELB describes the Elastic Load Balance v3 job API
// (GET /v3/{project_id}/elb/jobs/{job_id}): template imports, instance
// copies and upgrades. The body wraps the job in a "job" object beside a
// request_id; the job carries its own project_id, exposed as
// job_project_id so that it never overwrites the project_id argument.
var ELB = newService(Service{
	Name:           "elb",
	Title:          "ELB",
	Endpoint:       "elb",
	Path:           "/v3/{project_id}/elb/jobs/{job_id}",
	Envelope:       "job",
	RequestIDField: "request_id",
	ReasonField:    "error_msg",
	Statuses: []StatusPhase{
		{"INIT", Pending}, {"RUNNING", Running}, {"ROLLBACKING", Running},
		{"SUCCESS", Succeeded}, {"COMPLETE", Succeeded},
		{"FAIL", Failed}, {"ROLLBACK_FAIL", Failed}, {"CANCEL", Failed},
	},
	Fields: append(jobFields(
		"The job status, verbatim: `INIT`, `RUNNING`, `ROLLBACKING`, `SUCCESS`, `COMPLETE`, `FAIL`, `ROLLBACK_FAIL` or `CANCEL`.",
		"error_msg", "The error message of a failed job; null when it succeeded."),
		Field{Name: "job_project_id", JSON: "project_id", Kind: String, Description: "The project ID the job body reports (its `project_id`); the `project_id` argument stays the project the job was read in."},
		Field{Name: "resource_id", Kind: String, Description: "The ID of the resource the job works on."},
		Field{Name: "sub_jobs", Kind: List, Description: "The sub-jobs and how each went.", Fields: append(jobFields(
			"The sub-job status, verbatim, in the same words as the job's.",
			"error_msg", "The error message of a failed sub-job; null when it succeeded."),
			Field{Name: "project_id", Kind: String, Description: "The project ID."},
			Field{Name: "resource_id", Kind: String, Description: "The ID of the resource the sub-job works on."},
			Field{Name: "entities", Kind: List, Description: "The resources the sub-job works on.", Fields: stringFields(
				"resource_id", "The ID of the resource.",
				"resource_type", "The type of the resource, such as `loadbalancer`.",
			)},
		)},
	),
})
