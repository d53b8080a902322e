package service

// CCE describes the Cloud Container Engine job API: creating and deleting
// clusters, nodes and node pools. A job is a Kubernetes-style object: its
// id is metadata.uid, its status status.phase, its type spec.type and its
// failure status.reason; there is no error code and no end time. Keys are
// camelCase (attributes are their snake_case), sub-jobs are whole jobs
// under spec.subJobs, exposed one level deep (a sub-job's own subJobs are
// left out), and times are in Go's time.String layout with nanoseconds.
var CCE = New(Service{
	Name: "cce", Title: "CCE", Host: "cce",
	Path:        "/api/v3/projects/{project_id}/jobs/{job_id}",
	TimeLayouts: []string{"2006-01-02 15:04:05.999999999 -0700 MST"},
	Absent:      AbsentOmit,
	Statuses: []StatusPhase{
		{"Initializing", Pending}, {"Running", Running}, {"Success", Succeeded}, {"Failed", Failed},
	},
	Fields: cceJob(true),
	// The page shows no 404 body; this one is invented in the shape of
	// CCE's error bodies ({"errorCode", "errorMessage"}).
	NotFound: `{"errorCode":"CCE.01404001","errorMessage":"Job {job_id} not found."}`,
	// Invented for the emulator's made-up jobs.
	Examples: Examples{
		JobType: "CreateCluster", SubJobType: "InstallMaster",
		Reason:    "Failed to create the cluster: the master nodes could not be installed.",
		SubReason: "No ECS flavor for the master node is available in the AZ.",
	},
})

// cceJob lists the fields of a CCE job or, without sub-jobs, of one of its
// sub-jobs.
func cceJob(top bool) []Field {
	what, uid, types := "job", "The ID of the job; the `job_id` argument.", "`CreateCluster`, `DeleteCluster`, `CreateNode`, `DeleteNode` or `CreateNodePool`"
	if !top {
		what, uid, types = "sub-job", "The ID of the sub-job.", "`InstallMaster` or `CreatePSMCert`"
	}
	spec := []Field{
		{Key: "type", Kind: String, Role: Type, Description: "The type of the " + what + " (`spec.type`), such as " + types + "."},
		{Key: "clusterUID", Kind: String, Description: "The ID of the cluster the " + what + " runs in (`clusterUID`)."},
		{Key: "resourceID", Kind: String, Description: "The ID of the resource the " + what + " works on (`resourceID`): the new cluster, node or node pool of a create job."},
		{Key: "resourceName", Kind: String, Description: "The name of the resource the " + what + " works on (`resourceName`)."},
		{Key: "extendParam", Kind: Map, Example: "serverID", Description: "Extended parameters (`extendParam`), a map of strings with the API's keys verbatim; `serverID`, for example, is the ID of the server (node) a node or master job works on."},
	}
	if top {
		spec = append(spec, Field{Key: "subJobs", Kind: List, Role: SubJobs, Description: "The sub-jobs (`subJobs`): creating a cluster or node is made of several, and the job finishes only once they all have. Each is a whole job, with its own `phase`; its own sub-jobs are left out.", Fields: cceJob(false)})
	}
	return []Field{
		{Key: "kind", Kind: String, Example: "Job", Description: "The API type: always `Job`."},
		{Key: "apiVersion", Kind: String, Example: "v3", Description: "The API version (`apiVersion`): always `v3`."},
		{Key: "metadata", Kind: Object, Description: "The " + what + "'s metadata.", Fields: []Field{
			{Key: "uid", Kind: String, Role: ID, Description: uid},
			{Key: "creationTimestamp", Kind: Time, Role: Begin, Description: "When the " + what + " was created (`creationTimestamp`), as an RFC 3339 timestamp with the API's nanoseconds."},
			{Key: "updateTimestamp", Kind: Time, Description: "When the " + what + " was last updated (`updateTimestamp`), as an RFC 3339 timestamp with the API's nanoseconds. CCE has no end time: for a finished " + what + " this is the nearest thing."},
		}},
		{Key: "spec", Kind: Object, Description: "What the " + what + " does.", Fields: spec},
		{Key: "status", Kind: Object, Description: "The " + what + "'s status as the API reports it. The computed `phase` beside it is the same status normalised across services.", Fields: []Field{
			{Key: "phase", Kind: String, Role: Status, Description: "The " + what + " status, verbatim as CCE writes it: `Initializing`, `Running`, `Success` or `Failed`. Not to be confused with the computed top-level `phase` of the " + what + ", which normalises it to `pending`, `running`, `succeeded`, `failed` or `unknown`."},
			{Key: "reason", Kind: String, Role: Reason, Description: "Why the " + what + " entered its current status: the cause of a failed " + what + "; null when the API leaves it out or empty."},
		}},
	}
}
