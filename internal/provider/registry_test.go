package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// kube is a service that exists only in this file, shaped like a
// Kubernetes-style job API: the id at metadata.uid, the status at
// status.phase, camelCase keys, sub-jobs that are whole jobs under
// spec.subJobs, a map of strings, Go's time.String layout and no error
// code. The provider and the emulator are built from it alone: if anything
// per service were written anywhere but in a description, these tests
// would not find it.
var kube = service.New(service.Service{
	Name:        "kube",
	Title:       "Kube",
	Host:        "kube",
	Path:        "/api/v3/projects/{project_id}/jobs/{job_id}",
	TimeLayouts: []string{"2006-01-02 15:04:05.999999999 -0700 MST"},
	Absent:      service.AbsentOmit,
	Statuses: []service.StatusPhase{
		{Status: "Initializing", Phase: service.Pending}, {Status: "Running", Phase: service.Running},
		{Status: "Success", Phase: service.Succeeded}, {Status: "Failed", Phase: service.Failed},
	},
	Fields:   kubeJob(true),
	NotFound: `{"error_code":"KUBE.0404","error_msg":"Job {job_id} not found"}`,
	Examples: service.Examples{JobType: "CreateCluster", SubJobType: "InstallMaster", Reason: "quota exceeded", SubReason: "master failed"},
})

func kubeJob(top bool) []service.Field {
	spec := []service.Field{
		{Key: "type", Kind: service.String, Role: service.Type, Description: "what the job does"},
		{Key: "clusterUID", Kind: service.String, Description: "the cluster"},
		{Key: "extendParam", Kind: service.Map, Example: "serverID", Description: "extra ids"},
	}
	if top {
		spec = append(spec, service.Field{Key: "subJobs", Kind: service.List, Role: service.SubJobs, Fields: kubeJob(false), Description: "sub-jobs"})
	}
	return []service.Field{
		{Key: "kind", Kind: service.String, Example: "Job", Description: "always Job"},
		{Key: "apiVersion", Kind: service.String, Example: "v3", Description: "always v3"},
		{Key: "metadata", Kind: service.Object, Description: "metadata", Fields: []service.Field{
			{Key: "uid", Kind: service.String, Role: service.ID, Description: "the job id"},
			{Key: "creationTimestamp", Kind: service.Time, Role: service.Begin, Description: "created"},
			{Key: "updateTimestamp", Kind: service.Time, Description: "updated"},
		}},
		{Key: "spec", Kind: service.Object, Fields: spec, Description: "spec"},
		{Key: "status", Kind: service.Object, Description: "status", Fields: []service.Field{
			{Key: "phase", Kind: service.String, Role: service.Status, Description: "the status"},
			{Key: "reason", Kind: service.String, Role: service.Reason, Description: "why"},
		}},
	}
}

// TestKubeDescriptionIsValid: the synthetic description passes the same
// checks as the production ones.
func TestKubeDescriptionIsValid(t *testing.T) {
	if err := kube.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestAccSyntheticService runs a data source and a wait resource of a
// service defined only in this test file, end to end through Terraform
// against an emulator built from it: success with every nested attribute
// where the description puts it, and failure with the sub-job's reason.
func TestAccSyntheticService(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t, emulator.Options{Services: []*service.Service{kube}})
	steps := func(final string, at time.Duration) []emulator.Step {
		return []emulator.Step{{Status: "Initializing"}, {Status: "Running", After: runAt}, {Status: final, After: at}}
	}
	ok, err := e.emu.CreateJob(emulator.JobSpec{Service: "kube", JobID: "354331b2c-ok", Timeline: steps("Success", 2*time.Second),
		SubJobs: []emulator.SubJobSpec{{JobType: "InstallMaster"}, {JobType: "CreatePSMCert"}}})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := e.emu.CreateJob(emulator.JobSpec{Service: "kube", JobID: "354331b2c-bad", JobType: "CreateNode",
		Timeline: steps("Failed", time.Second), FailReason: "node quota exceeded",
		SubJobs: []emulator.SubJobSpec{{JobType: "InstallNode", Timeline: steps("Failed", time.Second), FailReason: "no capacity in az1"}}})
	if err != nil {
		t.Fatal(err)
	}
	wait := waitType(kube) + ".w"
	data := "data.hwcjobs_kube_job.d"
	config := e.config("", waitHCL(kube, "w", ok, "")+fmt.Sprintf("\ndata \"hwcjobs_kube_job\" \"d\" {\n  job_id = %s.job_id\n}\n", wait))
	checks := []statecheck.StateCheck{}
	for _, addr := range []string{wait, data} {
		checks = append(checks,
			check(addr, str(ok), "metadata", "uid"),
			check(addr, str("Success"), "status", "phase"),
			check(addr, str("succeeded"), "phase"),
			check(addr, str("Job"), "kind"),
			check(addr, str("v3"), "api_version"),
			check(addr, knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`)), "metadata", "creation_timestamp"),
			check(addr, knownvalue.MapSizeExact(1), "spec", "extend_param"),
			check(addr, knownvalue.NotNull(), "spec", "extend_param", "serverID"),
			check(addr, str("CreateCluster"), "spec", "type"),
			check(addr, knownvalue.ListSizeExact(2), "spec", "sub_jobs"),
			check(addr, str("InstallMaster"), "spec", "sub_jobs", 0, "spec", "type"),
			check(addr, str("Success"), "spec", "sub_jobs", 1, "status", "phase"),
			check(addr, str("succeeded"), "spec", "sub_jobs", 1, "phase"),
		)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: checks},
			{
				Config: e.config("", waitHCL(kube, "bad", bad, "")),
				ExpectError: regexp.MustCompile(words("Kube job "+bad+" (CreateNode) failed") + `[\s\S]*` +
					words(`status.reason "node quota exceeded"`) + `[\s\S]*spec\.sub_jobs\[0\][\s\S]*` + words(`status.reason "no capacity in az1"`)),
			},
		},
	})
	if n := e.emu.Counters().JobReads("kube", ok); n < 2 {
		t.Errorf("the emulator served the job %d times", n)
	}
}
