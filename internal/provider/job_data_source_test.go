package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
)

// seedCase is one seed page's example job and every attribute it must read
// into, under the schema's typing rules.
type seedCase struct {
	svc   *jobs.Service
	jobID string
	want  map[string]knownvalue.Check
}

func obj(m map[string]knownvalue.Check) knownvalue.Check { return knownvalue.ObjectExact(m) }
func list(items ...knownvalue.Check) knownvalue.Check    { return knownvalue.ListExact(items) }

func seedCases() []seedCase {
	const project = emulator.DefaultProjectID
	sdrsEntities := func(group string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{
			"replication_pair_id": null, "volume_ids": null, "server_group_id": str(group),
			"protected_instance_id": null, "native_server_id": null, "nic_id": null,
		}
	}
	elbEntities := list(obj(map[string]knownvalue.Check{"resource_id": str("9f5b432c-987e-4777-a1bc-6642be4b2b50"), "resource_type": str("loadbalancer")}))
	elbSub := func(id, typ, begin, end string) knownvalue.Check {
		return obj(map[string]knownvalue.Check{
			"job_id": str(id), "job_type": str(typ), "status": str("SUCCESS"), "phase": str("succeeded"),
			"begin_time": str(begin), "end_time": str(end), "error_code": null, "error_msg": null,
			"project_id": str("7b7705dce1e847b08b3b16dda67fec24"), "resource_id": str("9f5b432c-987e-4777-a1bc-6642be4b2b50"),
			"entities": elbEntities,
		})
	}
	sdrsTop := sdrsEntities("a59d008e-4bad-4bf3-9b17-6cc25e7da483")
	sdrsTop["sub_jobs"] = null
	return []seedCase{
		{jobs.ECS, "2c9eb2c5544cbf6101544f0602af2b4f", map[string]knownvalue.Check{
			"job_id": str("2c9eb2c5544cbf6101544f0602af2b4f"), "status": str("SUCCESS"), "phase": str("succeeded"),
			"job_type": str("createServer"), "begin_time": str("2016-04-25T20:04:34.604Z"), "end_time": str("2016-04-25T20:08:41.593Z"),
			"error_code": null, "fail_reason": null, "project_id": str(project), "region": str(emulator.DefaultRegion), "request_id": requestID,
			"entities": obj(map[string]knownvalue.Check{
				"server_id": null, "nic_id": null, "sub_jobs_total": knownvalue.Int64Exact(1),
				"sub_jobs": list(obj(map[string]knownvalue.Check{
					"status": str("SUCCESS"), "phase": str("succeeded"),
					"entities":   obj(map[string]knownvalue.Check{"server_id": str("bae51750-0089-41a1-9b18-5c777978ff6d"), "nic_id": null, "errorcode_message": null}),
					"job_id":     str("2c9eb2c5544cbf6101544f0635672b60"),
					"job_type":   str("createSingleServer"),
					"begin_time": str("2016-04-25T20:04:47.591Z"), "end_time": str("2016-04-25T20:08:21.328Z"),
					"error_code": null, "fail_reason": null,
				})),
			}),
		}},
		{jobs.ELB, "ef6da45b-35d9-4c18-8c35-0b80d94ab9e6", map[string]knownvalue.Check{
			"job_id": str("ef6da45b-35d9-4c18-8c35-0b80d94ab9e6"), "status": str("COMPLETE"), "phase": str("succeeded"),
			"job_type": str("UPGRADE"), "begin_time": str("2024-03-23T08:20:42Z"), "end_time": str("2024-03-23T08:49:11Z"),
			"error_code": null, "error_msg": null, "resource_id": str("9f5b432c-987e-4777-a1bc-6642be4b2b50"),
			// The project the job was read in; the body's own is job_project_id.
			"project_id": str(project), "job_project_id": str("7b7705dce1e847b08b3b16dda67fec24"), "region": str(emulator.DefaultRegion),
			"request_id": str("39551f69-3c49-4200-8ad3-73f9a8b4a3e4"),
			"sub_jobs": list(
				elbSub("481a5ab3-b3ff-46fa-b074-d3b8e09ab9cb", "UPGRADE_TRAFFIC_SWITCH", "2024-03-23T08:47:11Z", "2024-03-23T08:47:11Z"),
				elbSub("c4cf4e5b-fa53-427d-ad43-497e7a876c2e", "UPGRADE_INIT", "2024-03-23T08:20:42Z", "2024-03-23T08:46:44Z"),
				elbSub("ee56e027-5d52-4bd9-abba-9821a742a466", "UPGRADE_COMPLETE", "2024-03-23T08:49:11Z", "2024-03-23T08:49:11Z"),
			),
		}},
		{jobs.SDRS, "0000000062db92d70162db9d200f000a", map[string]knownvalue.Check{
			"job_id": str("0000000062db92d70162db9d200f000a"), "status": str("SUCCESS"), "phase": str("succeeded"),
			"job_type": str("createProtectionGroupNoCG"), "begin_time": str("2018-04-19T01:55:30.443Z"), "end_time": str("2018-04-19T01:55:45.493Z"),
			"error_code": null, "fail_reason": null, "project_id": str(project), "region": str(emulator.DefaultRegion), "request_id": requestID,
			"entities": obj(sdrsTop),
		}},
		{jobs.SFSTurbo, "26f6b565-xxxx-XXXX-xxxx-03f0bd975433", map[string]knownvalue.Check{
			"job_id": str("26f6b565-xxxx-XXXX-xxxx-03f0bd975433"), "status": str("success"), "phase": str("succeeded"),
			"job_type": str("bind_ldap"), "begin_time": str("2023-07-26T09:33:58Z"), "end_time": str("2023-07-26T09:33:58Z"),
			"error_code": null, "fail_reason": null, "sub_jobs": null,
			"project_id": str(project), "region": str(emulator.DefaultRegion), "request_id": requestID,
		}},
	}
}

// TestAccJobDataSource_seeds reads each seed page's example job and checks
// every attribute, including the timeouts block left null.
func TestAccJobDataSource_seeds(t *testing.T) {
	for _, tc := range seedCases() {
		t.Run(tc.svc.Name, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t, emulator.Options{})
			addr := "data.hwcjobs_" + tc.svc.Name + "_job.seed"
			checks := []statecheck.StateCheck{}
			for name, v := range tc.want {
				checks = append(checks, check(addr, v, name))
			}
			checks = append(checks, check(addr, null, "timeouts"))
			// Every attribute of the schema is checked: none is forgotten.
			if got, want := len(tc.want), countAttributes(t, tc.svc)-1; got != want {
				t.Fatalf("the test checks %d attributes, the schema has %d besides timeouts", got, want)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config:            e.config("", fmt.Sprintf("data %q \"seed\" {\n  job_id = %q\n}\n", "hwcjobs_"+tc.svc.Name+"_job", tc.jobID)),
					ConfigStateChecks: checks,
				}},
			})
			if n := e.emu.Counters().JobReads(emulatorName(tc.svc), tc.jobID); n < 1 {
				t.Errorf("the emulator served the job %d times", n)
			}
		})
	}
}

// countAttributes counts the data source's top-level attributes and blocks.
func countAttributes(t *testing.T, svc *jobs.Service) int {
	t.Helper()
	ds := newJobDataSource(svc)().(*jobDataSource)
	var resp datasource.SchemaResponse
	ds.Schema(t.Context(), datasource.SchemaRequest{}, &resp)
	return len(resp.Schema.Attributes) + len(resp.Schema.Blocks)
}

// TestAccJobDataSource_statuses reads, per service, a running job (no
// end_time), a failed job whose failed sub-job's code and reason reach
// state, an undocumented status (phase unknown), a job whose fields are all
// null or empty, and one with an empty sub-job list.
func TestAccJobDataSource_statuses(t *testing.T) {
	for _, svc := range jobs.All() {
		t.Run(svc.Name, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t, emulator.Options{})
			typ := "hwcjobs_" + svc.Name + "_job"
			running := runningStatus(svc)
			failed := failedStatus(svc)
			subJobs := subJobsPath(svc)
			failedSub := append(append([]any{}, subJobs...), 1)
			config := e.config("", fmt.Sprintf(`
data %[1]q "running" { job_id = %[2]q }
data %[1]q "failed" { job_id = %[3]q }
data %[1]q "odd" { job_id = %[4]q }
data %[1]q "nulls" { job_id = %[5]q }
data %[1]q "empty" { job_id = %[6]q }
`, typ, fixedJob(svc, running), fixedJob(svc, failed), fixedJob(svc, emulator.JobUndocumented), fixedJob(svc, emulator.JobNulls), fixedJob(svc, emulator.JobEmptySubJobs)))
			reason := svc.ReasonField
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						check("data."+typ+".running", str(running), "status"),
						check("data."+typ+".running", str("running"), "phase"),
						check("data."+typ+".running", null, "end_time"),
						check("data."+typ+".running", knownvalue.NotNull(), "begin_time"),
						check("data."+typ+".failed", str(failed), "status"),
						check("data."+typ+".failed", str("failed"), "phase"),
						check("data."+typ+".failed", knownvalue.StringRegexp(regexp.MustCompile(`\S`)), "error_code"),
						check("data."+typ+".failed", knownvalue.StringRegexp(regexp.MustCompile(`\S`)), reason),
						check("data."+typ+".failed", str("failed"), append(failedSub, "phase")...),
						check("data."+typ+".failed", knownvalue.StringRegexp(regexp.MustCompile(`\S`)), append(failedSub, "error_code")...),
						check("data."+typ+".failed", knownvalue.StringRegexp(regexp.MustCompile(`\S`)), append(failedSub, reason)...),
						check("data."+typ+".failed", str("succeeded"), append(append(append([]any{}, subJobs...), 0), "phase")...),
						check("data."+typ+".odd", str("PAUSED"), "status"),
						check("data."+typ+".odd", str("unknown"), "phase"),
						check("data."+typ+".nulls", null, "job_type"),
						check("data."+typ+".nulls", null, "begin_time"),
						check("data."+typ+".nulls", null, "error_code"),
						check("data."+typ+".nulls", null, subJobs...),
						check("data."+typ+".empty", knownvalue.ListSizeExact(0), subJobs...),
					},
				}},
			})
		})
	}
}

// TestJobDataSource_undocumentedStatusWarns: an undocumented status reads
// with one warning that names it (Terraform shows warnings; the acceptance
// framework cannot check them, so this runs Read in process).
func TestJobDataSource_undocumentedStatusWarns(t *testing.T) {
	for _, svc := range jobs.All() {
		e := newAccEnv(t, emulator.Options{})
		diags, _ := e.readDirect(t, svc, nil, map[string]tftypes.Value{"job_id": strVal(fixedJob(svc, emulator.JobUndocumented))})
		if diags.HasError() || diags.WarningsCount() != 1 {
			t.Fatalf("%s: want one warning, got:\n%s", svc.Name, diagText(diags))
		}
		w := diags.Warnings()[0]
		if !strings.Contains(w.Summary(), `"PAUSED"`) || !strings.Contains(w.Detail(), `unknown`) || !strings.Contains(w.Detail(), svc.Statuses[0].Status) {
			t.Errorf("%s: warning should name the status and the documented ones:\n%s", svc.Name, diagText(diags))
		}
	}
}

// TestAccJobDataSource_errors: a missing job, a malformed body and a body of
// the wrong shape are clear errors, per service.
func TestAccJobDataSource_errors(t *testing.T) {
	for _, svc := range jobs.All() {
		t.Run(svc.Name, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t, emulator.Options{})
			typ := "hwcjobs_" + svc.Name + "_job"
			one := func(id string) string { return e.config("", fmt.Sprintf("data %q \"x\" { job_id = %q }\n", typ, id)) }
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{
					{
						Config:      one("no-such-job"),
						ExpectError: regexp.MustCompile(svc.Title + ` job no-such-job not found[\s\S]*deleted by the service after about a\s+day[\s\S]*HTTP 404`),
					},
					{
						Config:      one(fixedJob(svc, emulator.JobMalformed)),
						ExpectError: regexp.MustCompile(`Unexpected answer reading ` + svc.Title + ` job[\s\S]*malformed JSON`),
					},
					{
						Config:      one(fixedJob(svc, emulator.JobWrongShape)),
						ExpectError: regexp.MustCompile(`Unexpected answer reading ` + svc.Title + ` job[\s\S]*(no\s+status|no\s+"job"\s+object)`),
					},
				},
			})
		})
	}
}

func runningStatus(svc *jobs.Service) string {
	for _, sp := range svc.Statuses {
		if sp.Phase == jobs.Running {
			return sp.Status
		}
	}
	return ""
}

func failedStatus(svc *jobs.Service) string {
	for _, sp := range svc.Statuses {
		if sp.Phase == jobs.Failed {
			return sp.Status
		}
	}
	return ""
}

// subJobsPath is where a service keeps its sub-jobs.
func subJobsPath(svc *jobs.Service) []any {
	for _, f := range svc.Fields {
		if f.Name == "sub_jobs" {
			return []any{"sub_jobs"}
		}
		for _, g := range f.Fields {
			if g.Name == "sub_jobs" {
				return []any{f.Name, "sub_jobs"}
			}
		}
	}
	return nil
}

// TestAccELB_configuredProjectKept reads the ELB seed job, whose body names
// its own project, with project_id set to another project on the data
// source and the wait resource: the configured value stays (Terraform
// rejects a provider that changes it), and the body's goes to
// job_project_id.
func TestAccELB_configuredProjectKept(t *testing.T) {
	t.Parallel()
	const jobID, bodyProject = "ef6da45b-35d9-4c18-8c35-0b80d94ab9e6", "7b7705dce1e847b08b3b16dda67fec24"
	e := newAccEnv(t, emulator.Options{})
	extra := fmt.Sprintf("  project_id = %q\n", emulator.SubProjectID)
	body := fmt.Sprintf("data \"hwcjobs_elb_job\" \"d\" {\n  job_id = %q\n%s}\n\n", jobID, extra) + waitHCL(jobs.ELB, "w", jobID, extra)
	var checks []statecheck.StateCheck
	for _, addr := range []string{"data.hwcjobs_elb_job.d", "hwcjobs_elb_job_wait.w"} {
		checks = append(checks,
			check(addr, str(emulator.SubProjectID), "project_id"),
			check(addr, str(bodyProject), "job_project_id"),
			check(addr, str("succeeded"), "phase"))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: e.config("", body), ConfigStateChecks: checks},
			{Config: e.config("", body), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
	if n := e.emu.Counters().Projects[emulator.SubProjectID]; n < 2 {
		t.Errorf("the emulator saw %d reads in the configured project, want the data source's and the wait's", n)
	}
}
