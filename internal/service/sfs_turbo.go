package service

// SFSTurbo describes the SFS Turbo job API: for example binding an LDAP
// configuration to a file system. Its times carry no zone: they are UTC.
// Its 404 body, the page's own example, says only "parameter error".
var SFSTurbo = New(Service{
	Name: "sfs_turbo", Title: "SFS Turbo", Host: "sfs-turbo",
	Path:        "/v1/{project_id}/sfs-turbo/jobs/{job_id}",
	TimeLayouts: []string{"2006-01-02 15:04:05"},
	Absent:      AbsentEmpty,
	Statuses: []StatusPhase{
		{"waiting", Pending}, {"running", Running}, {"success", Succeeded}, {"failed", Failed},
	},
	Fields: append(sfsTurboJob("job"),
		Field{Key: "sub_jobs", Kind: List, Role: SubJobs, Description: "The sub-jobs and how each went.", Fields: sfsTurboJob("sub-job")},
	),
	NotFound: "{\n  \"errCode\" : \"SFS.TURBO.0001\",\n  \"errMsg\" : \"parameter error\"\n}",
	Examples: Examples{
		JobType: "bind_ldap", SubJobType: "bind_ldap_config",
		ErrorCode: "SFS.TURBO.0111", Reason: "Failed to bind the LDAP configuration.",
		SubErrorCode: "SFS.TURBO.0112", SubReason: "The LDAP server is unreachable.",
	},
})

// sfsTurboJob lists the fields of a job or sub-job; the error fields are
// left out unless it failed, as the page's example.
func sfsTurboJob(what string) []Field {
	fields := JobFields(
		"The "+what+" status, verbatim and in lower case: `waiting`, `running`, `success` or `failed`.",
		"fail_reason", "The cause of a failed "+what+"; null when it succeeded.")
	fields[5].Absent, fields[6].Absent = Writes(AbsentOmit), Writes(AbsentOmit)
	return fields
}
