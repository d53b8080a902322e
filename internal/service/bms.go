package service

// BMS describes the Bare Metal Server job API (the SDK's ShowJobInfos):
// creating servers in batches, changing their power state, reinstalling or
// changing their OS, attaching and detaching disks. The body is shaped like
// ECS's, with a code and a message beside the job's own error fields. The
// page types a sub-job's entities as an array, but its example and the SDK
// send one object: an object it is.
var BMS = New(Service{
	Name: "bms", Title: "BMS", Host: "bms",
	Path:        "/v1/{project_id}/jobs/{job_id}",
	TimeLayouts: []string{"2006-01-02T15:04:05.000Z"},
	HexIDs:      true,
	Statuses: []StatusPhase{
		{"INIT", Pending}, {"PENDING_PAYMENT", Pending}, {"RUNNING", Running},
		{"SUCCESS", Succeeded}, {"FAIL", Failed},
	},
	StatusHints: map[string]string{
		"PENDING_PAYMENT": "The job awaits payment of its yearly/monthly order: it goes on once the order is paid. Pay or cancel the order in the console.",
	},
	Fields: append(bmsJob("job",
		"The job status, verbatim: `INIT`, `PENDING_PAYMENT` (a yearly/monthly order awaits payment), `RUNNING`, `SUCCESS` or `FAIL`.",
		"The type of the job: `baremetalBatchCreate` (creating servers), `baremetalBatchOperate` (changing their power state), `baremetalChangeOsVolumeBoot`, `baremetalChangeOsLocalDisk`, `baremetalVolumeBootReinstallOs`, `baremetalReinstallOs`, `baremetalAttachVolume`, `baremetalDetachVolume` or `baremetalBatchAttachVolume`."),
		Field{Key: "entities", Kind: Object, Description: "The sub-jobs of the job.", Fields: []Field{
			{Key: "sub_jobs_total", Kind: Int, Role: SubJobCount, Description: "The number of sub-jobs; 0 when there are none."},
			{Key: "sub_jobs", Kind: List, Role: SubJobs, Description: "The sub-jobs, one per server or disk, and how each went; empty when there are none.", Fields: append(bmsJob("sub-job",
				"The sub-job status, verbatim: `INIT`, `RUNNING`, `SUCCESS` or `FAIL`.",
				"The type of the sub-job: `baremetalSingleCreate` (creating one server), `baremetalSingleOperate` (changing its power state) or `baremetalAttachSingleVolume`."),
				Field{Key: "entities", Kind: Object, Description: "What the sub-job works on: a server or a NIC.", Fields: StringFields(
					"server_id", "The ID of the server, for a server-related sub-job: for `baremetalSingleCreate`, the new server.",
					"nic_id", "The ID of the NIC, for a NIC-related sub-job.",
				)},
			)},
		}},
	),
	// The page shows no 404 body; this one is invented in the shape of
	// BMS's abnormal responses ({"error": {"message", "code"}}).
	NotFound: `{"error":{"message":"Job {job_id} does not exist.","code":"BMS.0404"}}`,
	// Invented for the emulator's made-up jobs.
	Examples: Examples{
		JobType: "baremetalBatchCreate", SubJobType: "baremetalSingleCreate",
		ErrorCode: "BMS.0101", Reason: "Failed to create the bare metal servers.",
		SubErrorCode: "BMS.0102", SubReason: "No bare metal server of the flavor is available.",
	},
})

// bmsJob lists the fields of a BMS job or sub-job, code and message
// included.
func bmsJob(what, statusDesc, typeDesc string) []Field {
	fields := JobFields(statusDesc, "fail_reason", "The cause of a failed "+what+"; null when it succeeded.")
	fields[2].Description = typeDesc
	fields[5].Description = "The error code of a failed " + what + "; null when it succeeded."
	return append(fields,
		Field{Key: "message", Kind: String, Rare: true, Absent: Writes(AbsentOmit), Description: "The message returned when an error occurs; null otherwise."},
		Field{Key: "code", Kind: String, Rare: true, Absent: Writes(AbsentOmit), Description: "The error code returned when an error occurs; null otherwise."},
	)
}
