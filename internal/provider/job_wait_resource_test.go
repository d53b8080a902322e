package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// The timed jobs of these tests: pending at once, running after runAt, and
// finished after jobDuration, so that a wait makes a few reads.
const (
	runAt       = 500 * time.Millisecond
	subDoneAt   = 1500 * time.Millisecond
	jobDuration = 3 * time.Second
)

// Codes and reasons of the failed jobs; short, so that Terraform's line
// wrapping cannot split them.
const (
	jobErrorCode = "JOB.0001"
	jobReason    = "The quota is exceeded."
	subErrorCode = "SUB.0002"
	subReason    = "The NIC could not be attached."
)

func waitType(svc *service.Service) string { return "hwcjobs_" + svc.Name + "_job_wait" }

// waitHCL is a wait resource of svc named name on job jobID, with extra
// lines inside the block.
func waitHCL(svc *service.Service, name, jobID, extra string) string {
	return fmt.Sprintf("resource %q %q {\n  job_id = %q\n%s}\n", waitType(svc), name, jobID, extra)
}

// timedJob creates a job of svc that runs for d and then ends in final,
// with two sub-jobs: the first succeeds early, the second ends with the
// job. A failed job and its failed sub-job carry the codes above.
func (e *accEnv) timedJob(t *testing.T, svc *service.Service, id string, final service.Phase, d time.Duration, notFoundReads int) string {
	t.Helper()
	timeline := func(end time.Duration, ph service.Phase) []emulator.Step {
		return []emulator.Step{
			{Status: svc.StatusIn(service.Pending)},
			{Status: svc.StatusIn(service.Running), After: runAt},
			{Status: svc.StatusIn(ph), After: end},
		}
	}
	spec := emulator.JobSpec{
		Service: svc.Name, JobID: id, JobType: "testJob",
		Timeline: timeline(d, final),
		SubJobs: []emulator.SubJobSpec{
			{JobType: "testSubJobA", Timeline: timeline(subDoneAt, service.Succeeded)},
			{JobType: "testSubJobB"},
		},
		NotFoundReads: notFoundReads,
	}
	if final == service.Failed {
		spec.ErrorCode, spec.FailReason = jobErrorCode, jobReason
		spec.SubJobs[1].ErrorCode, spec.SubJobs[1].FailReason = subErrorCode, subReason
	}
	got, err := e.emu.CreateJob(spec)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// maxReads is the most reads a wait for a job lasting d may make: the
// default schedule at its densest (jitter u = 1) until the first read at or
// after d, plus two for slow requests.
func maxReads(d time.Duration) int {
	reads, at := 1, time.Duration(0)
	for at < d {
		at += jobs.DefaultSchedule.Interval(at, 1)
		reads++
	}
	return reads + 2
}

// words matches s, letting Terraform wrap the lines between its words.
func words(s string) string { return strings.ReplaceAll(regexp.QuoteMeta(s), " ", `\s+`) }

// TestAccWait_succeeds waits, per service, for a job that succeeds after a
// few seconds, and checks the final state and that the reads stayed within
// the schedule's bound.
func TestAccWait_succeeds(t *testing.T) {
	for _, svc := range service.All() {
		t.Run(svc.Name, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t, emulator.Options{})
			// A little longer than the others, and created just before the
			// step, so that a slow Terraform start on a loaded machine
			// still leaves the wait more than one read.
			const d = 6 * time.Second
			id := svc.Name + "-ok"
			addr := waitType(svc) + ".w"
			success := svc.StatusIn(service.Succeeded)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					PreConfig: func() { e.timedJob(t, svc, id, service.Succeeded, d, 0) },
					Config:    e.config("", waitHCL(svc, "w", id, "")),
					ConfigStateChecks: []statecheck.StateCheck{
						check(addr, str(id), "id"),
						check(addr, str(id), "job_id"),
						check(addr, str(success), roleAt(svc, service.Status)...),
						check(addr, str("succeeded"), "phase"),
						check(addr, str("testJob"), roleAt(svc, service.Type)...),
						check(addr, knownvalue.NotNull(), roleAt(svc, service.End)...),
						check(addr, null, roleAt(svc, service.Reason)...),
						check(addr, knownvalue.Bool(false), "allow_failure"),
						check(addr, knownvalue.ListSizeExact(2), roleAt(svc, service.SubJobs)...),
						check(addr, str(success), subRoleAt(svc, 0, service.Status)...),
						check(addr, str("testSubJobA"), subRoleAt(svc, 0, service.Type)...),
						check(addr, str(success), subRoleAt(svc, 1, service.Status)...),
						check(addr, str("succeeded"), subAt(svc, 1, "phase")...),
						check(addr, knownvalue.NotNull(), subRoleAt(svc, 1, service.End)...),
					},
				}},
			})
			reads, bound := e.emu.Counters().JobReads(svc.Name, id), maxReads(d)
			if reads < 2 || reads > bound {
				t.Errorf("the wait read the job %d times; want 2 to %d for a job of %s", reads, bound, d)
			}
			t.Logf("%s: %d reads (bound %d)", svc.Name, reads, bound)
		})
	}
}

// TestAccWait_fails waits, per service, for a job that fails with a failed
// sub-job: the error names the job and every code and reason, and nothing
// is left in state.
func TestAccWait_fails(t *testing.T) {
	for _, svc := range service.All() {
		t.Run(svc.Name, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t, emulator.Options{})
			id := e.timedJob(t, svc, svc.Name+"-fails", service.Failed, jobDuration, 0)
			subID := emulator.SubJobID(svc, id, 1)
			failed := svc.StatusIn(service.Failed)
			// What a failure line says: the code where the service has one,
			// and the reason under the attribute name it has.
			says := func(code, reason string, fields []service.Field) string {
				s := ""
				if name := service.RoleName(fields, service.Code); name != "" {
					s = fmt.Sprintf(" %s %s,", name, code)
				}
				return s + fmt.Sprintf(" %s %q", service.RoleName(fields, service.Reason), reason)
			}
			want := regexp.MustCompile(words(svc.Title+" job "+id+" (testJob) failed") +
				`[\s\S]*` + words(fmt.Sprintf("Job %s (testJob), status %s:", id, failed)+says(jobErrorCode, jobReason, svc.Fields)) +
				`[\s\S]*Sub-job\s+\S+\s+` + words(fmt.Sprintf("%s (testSubJobB), status %s:", subID, failed)+says(subErrorCode, subReason, subJobFields(svc))) +
				`[\s\S]*allow_failure`)
			addr := waitType(svc) + ".w"
			config := e.config("", waitHCL(svc, "w", id, ""))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{
					{Config: config, ExpectError: want},
					{
						// Nothing was saved: the same config still plans a create.
						Config: config, PlanOnly: true, ExpectNonEmptyPlan: true,
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						}},
					},
				},
			})
		})
	}
}

// stateString reads a string attribute at p (names and list indexes).
func stateString(t *testing.T, st tfsdk.State, p []any) string {
	t.Helper()
	at := path.Root(p[0].(string))
	for _, s := range p[1:] {
		switch s := s.(type) {
		case string:
			at = at.AtName(s)
		case int:
			at = at.AtListIndex(s)
		}
	}
	var v types.String
	if diags := st.GetAttribute(context.Background(), at, &v); diags.HasError() || v.ValueString() == "" {
		t.Fatalf("no string at %s: %s", at, diagText(diags))
	}
	return v.ValueString()
}

// TestAccWait_allowFailure records a failed job when allow_failure is set.
func TestAccWait_allowFailure(t *testing.T) {
	t.Parallel()
	svc := service.ECS
	e := newAccEnv(t, emulator.Options{})
	id := e.timedJob(t, svc, "allowed", service.Failed, jobDuration, 0)
	addr := waitType(svc) + ".w"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config("", waitHCL(svc, "w", id, "  allow_failure = true\n")),
			ConfigStateChecks: []statecheck.StateCheck{
				check(addr, str("FAIL"), "status"),
				check(addr, str("failed"), "phase"),
				check(addr, knownvalue.Bool(true), "allow_failure"),
				check(addr, str(jobErrorCode), "error_code"),
				check(addr, str(jobReason), "fail_reason"),
				check(addr, str(subErrorCode), subRoleAt(svc, 1, service.Code)...),
				check(addr, knownvalue.NotNull(), "end_time"),
			},
		}},
	})
}

// createDirect runs the wait resource's Create in process, as Terraform
// would after configuring the provider, with the plan args: acceptance
// tests cannot see warnings, this can.
func (e *accEnv) createDirect(ctx context.Context, t *testing.T, svc *service.Service, args map[string]tftypes.Value) (diag.Diagnostics, tfsdk.State) {
	t.Helper()
	configureResp := e.configured(t, nil)
	if configureResp.Diagnostics.HasError() {
		t.Fatal(diagText(configureResp.Diagnostics))
	}
	r := newWaitResource(svc)().(*waitResource)
	r.Configure(ctx, fwresource.ConfigureRequest{ProviderData: configureResp.ResourceData}, &fwresource.ConfigureResponse{})
	var sr fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	raw := objectWith(ctx, typ, args)
	req := fwresource.CreateRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: raw}, Plan: tfsdk.Plan{Schema: sr.Schema, Raw: raw}}
	resp := fwresource.CreateResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}}
	r.Create(ctx, req, &resp)
	return resp.Diagnostics, resp.State
}

// TestWait_allowFailureWarns: with allow_failure, a failed job is saved with
// one warning that names the failure; without, it is an error and nothing
// is saved.
func TestWait_allowFailureWarns(t *testing.T) {
	svc := service.ECS
	e := newAccEnv(t, emulator.Options{})
	id := fixedJob(svc, "FAIL")
	args := map[string]tftypes.Value{"job_id": strVal(id), "allow_failure": tftypes.NewValue(tftypes.Bool, true)}
	diags, st := e.createDirect(t.Context(), t, svc, args)
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("want one warning, got:\n%s", diagText(diags))
	}
	w := diags.Warnings()[0]
	for _, s := range []string{"Ecs.0013", "Insufficient EIP quota.", "Ecs.0610", "Recorded because allow_failure is true"} {
		if !strings.Contains(w.Detail(), s) {
			t.Errorf("the warning's detail lacks %q:\n%s", s, diagText(diags))
		}
	}
	if want := "ECS job " + id + " (createServer) failed"; w.Summary() != want {
		t.Errorf("summary %q, want %q", w.Summary(), want)
	}
	if got := stateString(t, st, []any{"phase"}); got != "failed" {
		t.Errorf("phase %q in state, want failed", got)
	}

	args["allow_failure"] = tftypes.NewValue(tftypes.Bool, false)
	diags, st = e.createDirect(t.Context(), t, svc, args)
	if diags.ErrorsCount() != 1 || diags.WarningsCount() != 0 {
		t.Fatalf("want one error, got:\n%s", diagText(diags))
	}
	if !st.Raw.IsNull() {
		t.Errorf("a failed job was saved: %s", st.Raw)
	}
}

// TestWait_createHonoursCancel: Ctrl-C (the context cancelled) stops a wait
// for a job that never finishes within a second.
func TestWait_createHonoursCancel(t *testing.T) {
	e := newAccEnv(t, emulator.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancelled := make(chan time.Time, 1)
	go func() {
		time.Sleep(1500 * time.Millisecond) // past the first reads, into a sleep
		cancelled <- time.Now()
		cancel()
	}()
	diags, _ := e.createDirect(ctx, t, service.ECS, map[string]tftypes.Value{"job_id": strVal(fixedJob(service.ECS, "RUNNING"))})
	stopped := time.Now()
	if lag := stopped.Sub(<-cancelled); lag > time.Second {
		t.Errorf("Create returned %s after the cancel", lag)
	}
	if diags.ErrorsCount() != 1 || !strings.Contains(diags.Errors()[0].Summary(), "Stopped waiting for ECS job ecs-running") {
		t.Errorf("want one error that says the wait stopped, got:\n%s", diagText(diags))
	}
}

// TestAccWait_timeout, per service: a job that stays running times out
// with its last status and the way to raise the timeout; a job stuck in a
// status the service explains (PENDING_PAYMENT) says what it may mean; a
// job in an undocumented status is polled until the timeout, which names
// the status.
func TestAccWait_timeout(t *testing.T) {
	for _, svc := range service.All() {
		t.Run(svc.Name, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t, emulator.Options{})
			within := func(d string) string { return "  timeouts {\n    create = \"" + d + "\"\n  }\n" }
			running := runningStatus(svc)
			id := fixedJob(svc, running)
			steps := []resource.TestStep{{
				Config: e.config("", waitHCL(svc, "w", id, within("5s"))),
				ExpectError: regexp.MustCompile(words("Timed out waiting for "+svc.Title+" job "+id) +
					`[\s\S]*timed\s+out\s+after\s+\S+\s+and\s+\d+\s+reads:\s+last\s+status\s+` + regexp.QuoteMeta(running) + `\s+\(phase\s+running\)` +
					`[\s\S]*timeouts.create\s+is\s+5s[\s\S]*raise\s+the\s+timeout:\s+timeouts\s+\{`),
			}}
			for status, hint := range svc.StatusHints {
				steps = append(steps, resource.TestStep{
					Config:      e.config("", waitHCL(svc, "w", fixedJob(svc, status), within("3s"))),
					ExpectError: regexp.MustCompile(`last\s+status\s+` + regexp.QuoteMeta(status) + `[\s\S]*` + words(hint)),
				})
			}
			odd := fixedJob(svc, emulator.JobUndocumented)
			steps = append(steps, resource.TestStep{
				Config:      e.config("", waitHCL(svc, "w", odd, within("3s"))),
				ExpectError: regexp.MustCompile(words("Timed out waiting for "+svc.Title+" job "+odd) + `[\s\S]*` + words(`Status "PAUSED" is not one the `+svc.Title+" documentation lists")),
			})
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: e.factories(), Steps: steps})
			if n := e.emu.Counters().JobReads(svc.Name, id); n < 2 {
				t.Errorf("the wait read the job %d times in 5 s", n)
			}
			if n := e.emu.Counters().JobReads(svc.Name, odd); n < 2 {
				t.Errorf("the wait read the job in an undocumented status %d times in 3 s", n)
			}
		})
	}
}

// TestAccWait_pendingPayment: a job that awaits payment is polled until
// the timeout, whose error says the order awaits payment or was cancelled.
func TestAccWait_pendingPayment(t *testing.T) {
	t.Parallel()
	svc := service.ECS
	e := newAccEnv(t, emulator.Options{})
	id := fixedJob(svc, "PENDING_PAYMENT")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config("", waitHCL(svc, "w", id, "  timeouts {\n    create = \"3s\"\n  }\n")),
			ExpectError: regexp.MustCompile(words("Timed out waiting for ECS job "+id) +
				`[\s\S]*last\s+status\s+PENDING_PAYMENT[\s\S]*awaits\s+payment[\s\S]*cancelled`),
		}},
	})
	if n := e.emu.Counters().JobReads(svc.Name, id); n < 2 {
		t.Errorf("the wait read the job %d times in 3 s; PENDING_PAYMENT should keep being polled", n)
	}
}

// TestAccWait_throttledAndUnavailable: a 429 with Retry-After and two 503s
// during the wait are retried, and the apply succeeds.
func TestAccWait_throttledAndUnavailable(t *testing.T) {
	t.Parallel()
	svc := service.ELB
	e := newAccEnv(t, emulator.Options{})
	id := e.timedJob(t, svc, "throttled", service.Succeeded, jobDuration, 0)
	for _, f := range []emulator.Fault{
		{Service: svc.Name, JobID: id, Kind: emulator.FaultStatus, Status: 429, RetryAfter: "1"},
		{Service: svc.Name, JobID: id, Kind: emulator.FaultStatus, Status: 503, Count: 2},
	} {
		if err := e.emu.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	addr := waitType(svc) + ".w"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config("", waitHCL(svc, "w", id, "")),
			ConfigStateChecks: []statecheck.StateCheck{
				check(addr, str("SUCCESS"), "status"),
				check(addr, str("succeeded"), "phase"),
			},
		}},
	})
	c := e.emu.Counters()
	if c.Statuses[429] != 1 || c.Statuses[503] != 2 {
		t.Errorf("the emulator served %d 429s and %d 503s, want 1 and 2", c.Statuses[429], c.Statuses[503])
	}
	if left := e.emu.Faults(); len(left) != 0 {
		t.Errorf("faults not consumed: %+v", left)
	}
}

// TestAccWait_notFoundAtFirst: a job that is not visible for its first two
// reads is read again, per service (each has its own 404 body).
func TestAccWait_notFoundAtFirst(t *testing.T) {
	for _, svc := range service.All() {
		t.Run(svc.Name, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t, emulator.Options{})
			id := e.timedJob(t, svc, svc.Name+"-late", service.Succeeded, jobDuration, 2)
			addr := waitType(svc) + ".w"
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.config("", waitHCL(svc, "w", id, "")),
					ConfigStateChecks: []statecheck.StateCheck{
						check(addr, str("succeeded"), "phase"),
						check(addr, knownvalue.NotNull(), roleAt(svc, service.End)...),
					},
				}},
			})
			if n := e.emu.Counters().Statuses[404]; n != 2 {
				t.Errorf("the emulator served %d 404s, want 2", n)
			}
		})
	}
}

// TestAccWait_refreshAfterExpiry: once the service has deleted a finished
// job, refresh and plan keep the state and make no API call.
func TestAccWait_refreshAfterExpiry(t *testing.T) {
	t.Parallel()
	svc := service.SFSTurbo
	e := newAccEnv(t, emulator.Options{})
	id := e.timedJob(t, svc, "expires", service.Succeeded, jobDuration, 0)
	addr := waitType(svc) + ".w"
	config := e.config("", waitHCL(svc, "w", id, ""))
	kept := []statecheck.StateCheck{
		check(addr, str("success"), "status"),
		check(addr, str("succeeded"), "phase"),
		check(addr, knownvalue.NotNull(), "end_time"),
	}
	noRequests := func(when string) {
		if n := e.emu.Counters().Requests; n != 0 {
			t.Errorf("%s: the emulator served %d requests after the job expired, want 0", when, n)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: kept},
			{
				PreConfig: func() {
					if !e.emu.Expire(svc.Name, id) {
						t.Error("the job was not in the emulator")
					}
					e.emu.ResetCounters()
				},
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "status", "success"),
					resource.TestCheckResourceAttr(addr, "phase", "succeeded"),
					resource.TestCheckResourceAttrSet(addr, "end_time"),
				),
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig:         func() { noRequests("after refresh") },
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: kept,
			},
		},
	})
	noRequests("after plan, apply and destroy")
}

// TestAccWait_import imports a finished job by job_id and by
// project_id/job_id; each import reads it once.
func TestAccWait_import(t *testing.T) {
	t.Parallel()
	svc := service.ECS
	e := newAccEnv(t, emulator.Options{})
	id := e.timedJob(t, svc, "imported", service.Succeeded, jobDuration, 0)
	addr := waitType(svc) + ".w"
	const otherProject = emulator.DevProjectID // served too, and not the provider's
	resetReads := func() { e.emu.ResetCounters() }
	readOnce := func(project string) resource.ImportStateCheckFunc {
		return func(states []*terraform.InstanceState) error {
			c := e.emu.Counters()
			if n := c.JobReads(svc.Name, id); n != 1 || c.Projects[project] != 1 {
				return fmt.Errorf("the import read the job %d times, %d in project %s; want once", n, c.Projects[project], project)
			}
			if len(states) != 1 || states[0].Attributes["project_id"] != project || states[0].Attributes["phase"] != "succeeded" {
				return fmt.Errorf("imported %d states: %+v", len(states), states)
			}
			return nil
		}
	}
	step := func(importID, project string, verify bool) resource.TestStep {
		return resource.TestStep{
			PreConfig:               resetReads,
			ResourceName:            addr,
			ImportState:             true,
			ImportStateId:           importID,
			ImportStateVerify:       verify,
			ImportStateVerifyIgnore: []string{"request_id"}, // a new read, a new request
			ImportStateCheck:        readOnce(project),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: e.config("", waitHCL(svc, "w", id, ""))},
			step(id, emulator.DefaultProjectID, true),
			step(emulator.DefaultProjectID+"/"+id, emulator.DefaultProjectID, true),
			step(otherProject+"/"+id, otherProject, false),
		},
	})
}

// TestAccWait_triggers: new triggers replace the wait, which reads the job
// again; the same triggers plan nothing.
func TestAccWait_triggers(t *testing.T) {
	t.Parallel()
	svc := service.ECS
	e := newAccEnv(t, emulator.Options{})
	id := e.timedJob(t, svc, "triggered", service.Succeeded, jobDuration, 0)
	addr := waitType(svc) + ".w"
	withTriggers := func(v string) string {
		return e.config("", waitHCL(svc, "w", id, fmt.Sprintf("  triggers = {\n    v = %q\n  }\n", v)))
	}
	var before int
	reads := func() int { return e.emu.Counters().JobReads(svc.Name, id) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: withTriggers("1"), ConfigStateChecks: []statecheck.StateCheck{check(addr, str("1"), "triggers", "v")}},
			{
				PreConfig: func() { before = reads() },
				Config:    withTriggers("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("end_time")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					check(addr, str("2"), "triggers", "v"),
					check(addr, str("succeeded"), "phase"),
				},
			},
			{
				PreConfig: func() {
					if after := reads(); after <= before {
						t.Errorf("the replacement did not read the job again: %d reads before, %d after", before, after)
					}
				},
				Config:           withTriggers("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// TestAccWait_dependsOn: a terraform_data that depends on the wait is
// created after it, from the job's end_time.
func TestAccWait_dependsOn(t *testing.T) {
	t.Parallel()
	svc := service.ECS
	e := newAccEnv(t, emulator.Options{})
	id := e.timedJob(t, svc, "dependency", service.Succeeded, jobDuration, 0)
	addr := waitType(svc) + ".w"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config("", waitHCL(svc, "w", id, "")+fmt.Sprintf(`
resource "terraform_data" "after" {
  depends_on = [%[1]s]
  input      = %[1]s.end_time
}
`, addr)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				// Known only once the wait is done, so terraform_data must wait.
				plancheck.ExpectUnknownValue(addr, tfjsonpath.New("end_time")),
				plancheck.ExpectUnknownValue("terraform_data.after", tfjsonpath.New("input")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				check(addr, knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`)), "end_time"),
				statecheck.CompareValuePairs(addr, tfjsonpath.New("end_time"), "terraform_data.after", tfjsonpath.New("input"), compare.ValuesSame()),
				statecheck.CompareValuePairs(addr, tfjsonpath.New("end_time"), "terraform_data.after", tfjsonpath.New("output"), compare.ValuesSame()),
			},
		}},
	})
}

// TestAccWait_plan: a plan after a successful apply shows no changes, and a
// new job_id plans a replacement that waits for the new job.
func TestAccWait_plan(t *testing.T) {
	t.Parallel()
	svc := service.ECS
	e := newAccEnv(t, emulator.Options{})
	first := e.timedJob(t, svc, "first", service.Succeeded, jobDuration, 0)
	second := e.timedJob(t, svc, "second", service.Succeeded, jobDuration, 0)
	addr := waitType(svc) + ".w"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: e.config("", waitHCL(svc, "w", first, ""))},
			{
				Config:           e.config("", waitHCL(svc, "w", first, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: e.config("", waitHCL(svc, "w", second, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					check(addr, str(second), "id"),
					check(addr, str(second), "job_id"),
					check(addr, str("succeeded"), "phase"),
				},
			},
		},
	})
	if n := e.emu.Counters().JobReads(svc.Name, second); n < 1 {
		t.Errorf("the replacement never read the new job")
	}
}
