package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/testsupport"
)

// TestAccJobDataSource_seeds reads every example job of every service's
// API page through Terraform and checks every attribute against what the
// page shows (internal/testsupport/seeds), including the timeouts block
// left null.
func TestAccJobDataSource_seeds(t *testing.T) {
	for _, svc := range service.All() {
		for _, seed := range svc.Seeds() {
			t.Run(seed.File, func(t *testing.T) {
				t.Parallel()
				want, err := testsupport.WantOf(seed.File)
				if err != nil {
					t.Fatal(err)
				}
				e := newAccEnv(t, emulator.Options{})
				jobID := *want.Attributes[service.RoleName(svc.Fields, service.ID)]
				addr := "data.hwcjobs_" + svc.Name + "_job.seed"
				checks := []statecheck.StateCheck{
					check(addr, str(jobID), "job_id"),
					check(addr, str(emulator.DefaultRegion), "region"),
					check(addr, str(emulator.DefaultProjectID), "project_id"),
					check(addr, null, "timeouts"),
					check(addr, knownvalue.Bool(true), "exists"),
					check(addr, null, "allow_missing"),
				}
				if want.RequestID != nil {
					checks = append(checks, check(addr, str(*want.RequestID), "request_id"))
				} else {
					checks = append(checks, check(addr, requestID, "request_id"))
				}
				tops := map[string]bool{"job_id": true, "region": true, "project_id": true, "timeouts": true, "request_id": true, "exists": true, "allow_missing": true}
				for flat, v := range want.Attributes {
					p := flatPath(flat)
					if name, _ := p[0].(string); name == "job_id" {
						continue // the argument, checked above
					}
					tops[p[0].(string)] = true
					switch {
					case strings.HasSuffix(flat, ".#"):
						n, _ := strconv.Atoi(*v)
						checks = append(checks, check(addr, knownvalue.ListSizeExact(n), p[:len(p)-1]...))
					case strings.HasSuffix(flat, ".%"):
						n, _ := strconv.Atoi(*v)
						checks = append(checks, check(addr, knownvalue.MapSizeExact(n), p[:len(p)-1]...))
					case v == nil:
						checks = append(checks, check(addr, null, p...))
					case isInt(svc.Fields, p):
						n, _ := strconv.ParseInt(*v, 10, 64)
						checks = append(checks, check(addr, knownvalue.Int64Exact(n), p...))
					default:
						checks = append(checks, check(addr, str(*v), p...))
					}
				}
				// Every top-level attribute of the schema is checked: none is
				// forgotten.
				if got, want := len(tops), countAttributes(t, svc); got != want {
					t.Fatalf("the test checks %d top-level attributes, the schema has %d", got, want)
				}
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: e.factories(),
					Steps: []resource.TestStep{{
						Config:            e.config("", fmt.Sprintf("data %q \"seed\" {\n  job_id = %q\n}\n", "hwcjobs_"+svc.Name+"_job", jobID)),
						ConfigStateChecks: checks,
					}},
				})
				if n := e.emu.Counters().JobReads(svc.Name, jobID); n < 1 {
					t.Errorf("the emulator served the job %d times", n)
				}
			})
		}
	}
}

// flatPath splits a flattened attribute (entities.sub_jobs[0].job_id,
// sub_jobs.#, spec.extend_param.serverID) into state path steps.
func flatPath(flat string) []any {
	var out []any
	for _, part := range strings.Split(flat, ".") {
		name, idx, indexed := strings.Cut(part, "[")
		out = append(out, name)
		if indexed {
			n, _ := strconv.Atoi(strings.TrimSuffix(idx, "]"))
			out = append(out, n)
		}
	}
	return out
}

// isInt tells whether the attribute at p is an integer field.
func isInt(fields []service.Field, p []any) bool {
	for _, step := range p {
		name, ok := step.(string)
		if !ok {
			continue
		}
		for _, f := range fields {
			if f.Name() == name {
				if f.Kind == service.Int {
					return true
				}
				fields = f.Fields
				break
			}
		}
	}
	return false
}

// countAttributes counts the data source's top-level attributes and blocks.
func countAttributes(t *testing.T, svc *service.Service) int {
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
	for _, svc := range service.All() {
		t.Run(svc.Name, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t, emulator.Options{})
			typ := "hwcjobs_" + svc.Name + "_job"
			running := runningStatus(svc)
			failed := failedStatus(svc)
			subJobs := roleAt(svc, service.SubJobs)
			config := e.config("", fmt.Sprintf(`
data %[1]q "running" { job_id = %[2]q }
data %[1]q "failed" { job_id = %[3]q }
data %[1]q "odd" { job_id = %[4]q }
data %[1]q "nulls" { job_id = %[5]q }
data %[1]q "empty" { job_id = %[6]q }
`, typ, fixedJob(svc, running), fixedJob(svc, failed), fixedJob(svc, emulator.JobUndocumented), fixedJob(svc, emulator.JobNulls), fixedJob(svc, emulator.JobEmptySubJobs)))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						check("data."+typ+".running", str(running), roleAt(svc, service.Status)...),
						check("data."+typ+".running", str("running"), "phase"),
						check("data."+typ+".running", null, roleAt(svc, service.End)...),
						check("data."+typ+".running", knownvalue.NotNull(), roleAt(svc, service.Begin)...),
						check("data."+typ+".failed", str(failed), roleAt(svc, service.Status)...),
						check("data."+typ+".failed", str("failed"), "phase"),
						check("data."+typ+".failed", knownvalue.StringRegexp(regexp.MustCompile(`\S`)), roleAt(svc, service.Code)...),
						check("data."+typ+".failed", knownvalue.StringRegexp(regexp.MustCompile(`\S`)), roleAt(svc, service.Reason)...),
						check("data."+typ+".failed", str("failed"), subAt(svc, 1, "phase")...),
						check("data."+typ+".failed", knownvalue.StringRegexp(regexp.MustCompile(`\S`)), subRoleAt(svc, 1, service.Code)...),
						check("data."+typ+".failed", knownvalue.StringRegexp(regexp.MustCompile(`\S`)), subRoleAt(svc, 1, service.Reason)...),
						check("data."+typ+".failed", str("succeeded"), subAt(svc, 0, "phase")...),
						check("data."+typ+".odd", str("PAUSED"), roleAt(svc, service.Status)...),
						check("data."+typ+".odd", str("unknown"), "phase"),
						check("data."+typ+".nulls", null, roleAt(svc, service.Type)...),
						check("data."+typ+".nulls", null, roleAt(svc, service.Begin)...),
						check("data."+typ+".nulls", null, roleAt(svc, service.Reason)...),
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
	for _, svc := range service.All() {
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
	for _, svc := range service.All() {
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
						ExpectError: regexp.MustCompile(`Unexpected answer reading ` + svc.Title + ` job[\s\S]*malformed\s+JSON`),
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

// TestAccJobDataSource_allowMissing, per service: a job the service has
// deleted (as it does a day after the job finished) fails the plan, with
// the one-day retention and allow_missing in the error; with
// allow_missing = true it reads as exists = false, every job attribute
// null, while a job it still has reads as before.
func TestAccJobDataSource_allowMissing(t *testing.T) {
	for _, svc := range service.All() {
		t.Run(svc.Name, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t, emulator.Options{})
			id := e.timedJob(t, svc, svc.Name+"-deleted", service.Succeeded, jobDuration, 0)
			typ := "hwcjobs_" + svc.Name + "_job"
			addr := "data." + typ + ".x"
			hcl := func(extra string) string {
				return e.config("", fmt.Sprintf("data %q \"x\" {\n  job_id = %q\n%s}\n", typ, id, extra))
			}
			missingOK := hcl("  allow_missing = true\n")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{
					{
						Config: missingOK,
						ConfigStateChecks: []statecheck.StateCheck{
							check(addr, knownvalue.Bool(true), "exists"),
							check(addr, knownvalue.NotNull(), roleAt(svc, service.Status)...),
							check(addr, knownvalue.NotNull(), "phase"),
							check(addr, requestID, "request_id"),
						},
					},
					{
						PreConfig: func() {
							if !e.emu.Expire(svc.Name, id) {
								t.Error("the job was not in the emulator")
							}
						},
						Config: missingOK,
						ConfigStateChecks: []statecheck.StateCheck{
							check(addr, knownvalue.Bool(false), "exists"),
							check(addr, knownvalue.Bool(true), "allow_missing"),
							// The top-level attribute that holds each fact is null:
							// status itself, or CCE's whole status object.
							check(addr, null, roleAt(svc, service.Status)[0]),
							check(addr, null, "phase"),
							check(addr, null, roleAt(svc, service.Begin)[0]),
							check(addr, null, roleAt(svc, service.SubJobs)[0]), // entities, spec, or sub_jobs itself
							check(addr, null, "request_id"),
							check(addr, str(id), "job_id"),
							check(addr, str(emulator.DefaultRegion), "region"),
							check(addr, str(emulator.DefaultProjectID), "project_id"),
						},
					},
					{
						Config: hcl(""),
						ExpectError: regexp.MustCompile(words(svc.Title+" job "+id+" not found") +
							`[\s\S]*deleted\s+by\s+the\s+service\s+after\s+about\s+a\s+day[\s\S]*set\s+allow_missing\s+=\s+true`),
					},
				},
			})
		})
	}
}

// TestJobDataSource_allowMissingWrongEndpoint: allow_missing covers a job
// the service does not have, not an endpoint that serves no job API (the
// gateway's own 404): that stays an error.
func TestJobDataSource_allowMissingWrongEndpoint(t *testing.T) {
	svc := service.ECS
	e := newAccEnv(t, emulator.Options{})
	endpoints := tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{svc.Name: strVal(e.url + "/no-such-prefix")})
	args := map[string]tftypes.Value{"job_id": strVal(fixedJob(svc, "SUCCESS")), "allow_missing": tftypes.NewValue(tftypes.Bool, true)}
	diags, _ := e.readDirect(t, svc, map[string]tftypes.Value{"endpoints": endpoints}, args)
	if diags.ErrorsCount() != 1 || !strings.Contains(diagText(diags), "APIGW.0101") {
		t.Fatalf("want one error with the gateway's code, got:\n%s", diagText(diags))
	}
	diags, st := e.readDirect(t, svc, nil, map[string]tftypes.Value{"job_id": strVal("no-such-job"), "allow_missing": tftypes.NewValue(tftypes.Bool, true)})
	if diags.HasError() || diags.WarningsCount() != 0 {
		t.Fatalf("want no diagnostics, got:\n%s", diagText(diags))
	}
	var exists types.Bool
	if d := st.GetAttribute(t.Context(), path.Root("exists"), &exists); d.HasError() || !exists.Equal(types.BoolValue(false)) {
		t.Errorf("exists = %s (%v), want false", exists, d)
	}
}

func runningStatus(svc *service.Service) string {
	for _, sp := range svc.Statuses {
		if sp.Phase == service.Running {
			return sp.Status
		}
	}
	return ""
}

func failedStatus(svc *service.Service) string {
	for _, sp := range svc.Statuses {
		if sp.Phase == service.Failed {
			return sp.Status
		}
	}
	return ""
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
	extra := fmt.Sprintf("  project_id = %q\n", emulator.DevProjectID)
	body := fmt.Sprintf("data \"hwcjobs_elb_job\" \"d\" {\n  job_id = %q\n%s}\n\n", jobID, extra) + waitHCL(service.ELB, "w", jobID, extra)
	var checks []statecheck.StateCheck
	for _, addr := range []string{"data.hwcjobs_elb_job.d", "hwcjobs_elb_job_wait.w"} {
		checks = append(checks,
			check(addr, str(emulator.DevProjectID), "project_id"),
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
	if n := e.emu.Counters().Projects[emulator.DevProjectID]; n < 2 {
		t.Errorf("the emulator saw %d reads in the configured project, want the data source's and the wait's", n)
	}
}
