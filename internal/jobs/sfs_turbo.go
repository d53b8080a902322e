package jobs

// SFSTurbo describes the SFS Turbo job API
// (GET /v1/{project_id}/sfs-turbo/jobs/{job_id}): for example binding an LDAP
// configuration to a file system. Its times carry no zone: they are UTC.
var SFSTurbo = newService(Service{
	Name:        "sfs_turbo",
	Title:       "SFS Turbo",
	Endpoint:    "sfs_turbo",
	Path:        "/v1/{project_id}/sfs-turbo/jobs/{job_id}",
	ReasonField: "fail_reason",
	Statuses: []StatusPhase{
		{"waiting", Pending}, {"running", Running}, {"success", Succeeded}, {"failed", Failed},
	},
	Fields: append(jobFields(
		"The job status, verbatim and in lower case: `waiting`, `running`, `success` or `failed`.",
		"fail_reason", "The cause of a failed job; null when it succeeded."),
		Field{Name: "sub_jobs", Kind: List, Description: "The sub-jobs and how each went.", Fields: jobFields(
			"The sub-job status, verbatim and in lower case: `waiting`, `running`, `success` or `failed`.",
			"fail_reason", "The cause of a failed sub-job; null when it succeeded.")},
	),
})
