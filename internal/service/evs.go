package service

// EVS describes the Elastic Volume Service job API: creating disks, singly
// or in batches, expanding, retyping and deleting them. Its current page
// adds WAITING_EXECUTE and LISTENING to the statuses of the older page and
// the SDK; neither is final. The older page's "error" object is in neither
// the current page nor the SDK, so it is not kept. An unfinished job
// writes "end_time": "".
var EVS = New(Service{
	Name: "evs", Title: "EVS", Host: "evs",
	Path:        "/v1/{project_id}/jobs/{job_id}",
	TimeLayouts: []string{"2006-01-02T15:04:05.000Z"},
	HexIDs:      true,
	Statuses: []StatusPhase{
		{"INIT", Pending}, {"WAITING_EXECUTE", Pending},
		{"RUNNING", Running}, {"LISTENING", Running},
		{"SUCCESS", Succeeded}, {"FAIL", Failed},
	},
	Fields: append(evsJob("job"),
		Field{Key: "entities", Kind: Object, Description: "What the job works on; its content depends on the job type. Once the job has sub-jobs, only `sub_jobs` is set.", Fields: append(evsDisk("job"),
			Field{Key: "sub_jobs", Kind: List, Role: SubJobs, Absent: Writes(AbsentOmit), Description: "The sub-jobs of a batch job (`batchCreateVolume`, `bulkDeleteVolume`), one per disk, and how each went; null for a job without sub-jobs.", Fields: append(evsJob("sub-job"),
				Field{Key: "entities", Kind: Object, Description: "The disk the sub-job works on. For `createVolume`, `volume_id` is the ID of the new disk.", Fields: evsDisk("sub-job")},
			)},
		)},
	),
	// The page shows no 404 body. This is its third example response,
	// verbatim: an error body in EVS's error shape, served as the answer
	// for a job that does not exist.
	NotFound: "{\n    \"error\": {\n        \"message\": \"XXXX\", \n        \"code\": \"XXX\"\n    }\n}",
	// Invented for the emulator's made-up jobs.
	Examples: Examples{
		JobType: "batchCreateVolume", SubJobType: "createVolume",
		ErrorCode: "EVS.5400", Reason: "Failed to create the disks.",
		SubErrorCode: "EVS.5401", SubReason: "The storage pool has no capacity left for the disk.",
	},
})

// evsJob lists the fields of an EVS job or sub-job; end_time is "" until
// it has finished.
func evsJob(what string) []Field {
	status := "The job status, verbatim: `INIT` (being initialised), `WAITING_EXECUTE` (waiting to be executed), `RUNNING`, `LISTENING` (being monitored), `SUCCESS` or `FAIL`."
	if what != "job" {
		status = "The sub-job status, verbatim: `INIT`, `RUNNING`, `SUCCESS` or `FAIL` (any of the job's words reads as it does for the job)."
	}
	fields := JobFields(status,
		"fail_reason", "The cause of a failed "+what+"; null when it succeeded.")
	fields[2].Description = "The type of the " + what + ": `createVolume`, `batchCreateVolume`, `deleteVolume`, `extendVolume`, `bulkDeleteVolume`, `deleteSingleVolume` (one disk of a batch deletion) or `retypeVolume`."
	fields[4].Absent = Writes(AbsentEmpty) // end_time
	fields[5].Description = "The error code of a failed " + what + "; null when it succeeded."
	return fields
}

// evsDisk lists the disk fields of a job's or sub-job's entities.
func evsDisk(what string) []Field {
	return []Field{
		{Key: "volume_type", Kind: String, Example: "SSD", Description: "The type of the disk, such as `SSD` or `GPSSD`."},
		{Key: "size", Kind: Int, Description: "The size of the disk, in GiB."},
		{Key: "volume_id", Kind: String, Description: "The ID of the disk the " + what + " works on: for `createVolume`, the new disk."},
		{Key: "name", Kind: String, Description: "The name of the disk."},
	}
}
