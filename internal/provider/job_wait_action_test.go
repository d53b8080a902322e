package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// Most of these tests run the wait actions through the Terraform CLI: the
// testing library drives actions through action_trigger alone, so they run
// `terraform apply -invoke` themselves (cli_test.go), and skip, naming the
// version, on a CLI without actions. The in-process tests at the end need
// no CLI.

// actionHCL is a wait action of svc named x on job jobID, with extra lines
// inside its config block.
func actionHCL(svc *service.Service, jobID, extra string) string {
	return fmt.Sprintf("action %q \"x\" {\n  config {\n    job_id = %q\n%s  }\n}\n", waitType(svc), jobID, extra)
}

// invokeArgs runs action x of svc on its own.
func invokeArgs(svc *service.Service) []string {
	return []string{"apply", "-invoke=action." + waitType(svc) + ".x", "-auto-approve", "-input=false", "-no-color"}
}

// progressLines returns the progress messages Terraform printed for action
// x of svc, in order, with a heartbeat's repeat of a line left out.
func progressLines(out string, svc *service.Service) []string {
	re := regexp.MustCompile(`(?m)^Action action\.` + waitType(svc) + `\.x \(triggered by [^)]*\): (.*)$`)
	var lines []string
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		if n := len(lines); n == 0 || stripElapsed(lines[n-1]) != stripElapsed(m[1]) {
			lines = append(lines, m[1])
		}
	}
	return lines
}

var elapsedSuffix = regexp.MustCompile(`, (\d+h)?(\d+m)?\d+s$`)

func stripElapsed(line string) string { return elapsedSuffix.ReplaceAllString(line, "") }

// readsAtLeast waits until the emulator has served n reads of job id.
func readsAtLeast(t *testing.T, e *accEnv, svc *service.Service, id string, n int, out fmt.Stringer) int {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if got := e.emu.Counters().JobReads(svc.Name, id); got >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("the action did not read %s job %s %d times in a minute:\n%s", svc.Title, id, n, out)
		}
	}
}

// TestAccWaitAction_invokeProgress invokes, per service, the wait action on
// a job whose clock the test moves: pending, running, one sub-job done,
// finished. Each state is read at least once before the clock moves on, so
// the action must print one progress line per state, in order, and end
// with success.
func TestAccWaitAction_invokeProgress(t *testing.T) {
	skipUnlessActions(t)
	for _, svc := range service.All() {
		t.Run(svc.Name, func(t *testing.T) {
			t.Parallel()
			clock := emulator.NewManualClock(time.Now())
			e := newAccEnv(t, emulator.Options{JobClock: clock})
			timeline := func(done time.Duration) []emulator.Step {
				return []emulator.Step{
					{Status: svc.StatusIn(service.Pending)},
					{Status: svc.StatusIn(service.Running), After: 10 * time.Second},
					{Status: svc.StatusIn(service.Succeeded), After: done},
				}
			}
			id, err := e.emu.CreateJob(emulator.JobSpec{
				Service: svc.Name, JobID: svc.Name + "-progress", JobType: "testJob",
				Timeline: timeline(20 * time.Second),
				SubJobs:  []emulator.SubJobSpec{{JobType: "testSubJobA", Timeline: timeline(15 * time.Second)}, {JobType: "testSubJobB"}},
			})
			if err != nil {
				t.Fatal(err)
			}
			w := newTFWorkdir(t, e, actionHCL(svc, id, ""))
			ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
			defer cancel()
			cmd, out := w.command(ctx, invokeArgs(svc)...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Two reads after each move: the first began after the move, and
			// was answered before the second began.
			readsAtLeast(t, e, svc, id, 2, out)
			for _, d := range []time.Duration{10 * time.Second, 5 * time.Second} {
				clock.Advance(d)
				readsAtLeast(t, e, svc, id, e.emu.Counters().JobReads(svc.Name, id)+2, out)
			}
			clock.Advance(5 * time.Second) // finished: the next read ends the wait
			if err := cmd.Wait(); err != nil {
				t.Fatalf("terraform apply -invoke failed (%v):\n%s", err, out)
			}
			title := svc.Title + " job " + shortJobID(id) + ": "
			want := []string{
				title + svc.StatusIn(service.Pending) + ", 0 of 2 sub-jobs finished",
				title + svc.StatusIn(service.Running) + ", 0 of 2 sub-jobs finished",
				title + svc.StatusIn(service.Running) + ", 1 of 2 sub-jobs finished",
				title + svc.StatusIn(service.Succeeded) + ", 2 of 2 sub-jobs finished",
			}
			got := progressLines(out.String(), svc)
			if len(got) != len(want) {
				t.Fatalf("progress lines:\n%s\nwant:\n%s\noutput:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), out)
			}
			for i := range want {
				if stripElapsed(got[i]) != want[i] {
					t.Errorf("progress line %d is %q, want %q and the time waited", i+1, got[i], want[i])
				}
			}
			for _, s := range []string{"Action complete: action." + waitType(svc) + ".x", "Actions: 1 invoked."} {
				if !strings.Contains(out.String(), s) {
					t.Errorf("the output lacks %q:\n%s", s, out)
				}
			}
			t.Logf("%d reads; output:\n%s", e.emu.Counters().JobReads(svc.Name, id), out)
		})
	}
}

// TestAccWaitAction_fails: a failed job fails the invoked action, per
// service, with the codes and reasons of the job and its failed sub-job;
// with allow_failure the action succeeds with a warning naming them.
func TestAccWaitAction_fails(t *testing.T) {
	skipUnlessActions(t)
	for _, svc := range service.All() {
		t.Run(svc.Name, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t, emulator.Options{})
			id := e.timedJob(t, svc, svc.Name+"-fails", service.Failed, jobDuration, 0)
			ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
			defer cancel()

			w := newTFWorkdir(t, e, actionHCL(svc, id, ""))
			out, err := w.run(ctx, invokeArgs(svc)...)
			if err == nil {
				t.Fatalf("the action succeeded on a failed job:\n%s", out)
			}
			if want := regexp.MustCompile(`Error: Error when invoking action\s+` + failureText(svc, id) + `[\s\S]*allow_failure`); !want.MatchString(out) {
				t.Errorf("the error does not name the failures (want %s):\n%s", want, out)
			}
			if lines := progressLines(out, svc); len(lines) == 0 || !strings.Contains(lines[len(lines)-1], ": "+svc.StatusIn(service.Failed)+", 2 of 2 sub-jobs finished") {
				t.Errorf("the last progress line is not the failure: %q", lines)
			}

			w = newTFWorkdir(t, e, actionHCL(svc, id, "    allow_failure = true\n"))
			out, err = w.run(ctx, invokeArgs(svc)...)
			if err != nil {
				t.Fatalf("with allow_failure, the action failed (%v):\n%s", err, out)
			}
			if want := regexp.MustCompile(`Warning: Warning when invoking action\s+` + failureText(svc, id) + `[\s\S]*` + words("Not an error because allow_failure is true.")); !want.MatchString(out) {
				t.Errorf("no warning names the failures (want %s):\n%s", want, out)
			}
		})
	}
}

// TestAccWaitAction_timeout: a job that never finishes fails the action
// when its timeout is reached, saying what it last saw and how to go on;
// a timeout that is not a positive duration is refused before anything
// runs.
func TestAccWaitAction_timeout(t *testing.T) {
	skipUnlessActions(t)
	t.Parallel()
	svc := service.ECS
	e := newAccEnv(t, emulator.Options{})
	id := fixedJob(svc, "PENDING_PAYMENT")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	w := newTFWorkdir(t, e, actionHCL(svc, id, "    timeout = \"3s\"\n"))
	out, err := w.run(ctx, invokeArgs(svc)...)
	if err == nil {
		t.Fatalf("the action did not time out:\n%s", out)
	}
	want := regexp.MustCompile(words("Timed out waiting for ECS job "+id) +
		`[\s\S]*timed\s+out\s+after\s+\S+\s+and\s+\d+\s+reads:\s+last\s+status\s+PENDING_PAYMENT\s+\(phase\s+pending\)` +
		`[\s\S]*\(timeout\s+is\s+3s\)[\s\S]*awaits\s+payment[\s\S]*` + words(`raise the timeout: timeout = "1h".`))
	if !want.MatchString(out) {
		t.Errorf("the timeout error does not say what it saw (want %s):\n%s", want, out)
	}
	if lines := progressLines(out, svc); len(lines) != 1 || !strings.HasPrefix(lines[0], "ECS job "+shortJobID(id)+": PENDING_PAYMENT, ") {
		t.Errorf("progress lines %q, want one saying PENDING_PAYMENT", lines)
	}
	if n := e.emu.Counters().JobReads(svc.Name, id); n < 2 {
		t.Errorf("the action read the job %d times in 3 s", n)
	}

	w = newTFWorkdir(t, e, actionHCL(svc, id, "    timeout = \"0s\"\n"))
	e.emu.ResetCounters()
	out, err = w.run(ctx, invokeArgs(svc)...)
	if err == nil || !regexp.MustCompile(`Invalid\s+timeout[\s\S]*must\s+be\s+a\s+positive\s+duration`).MatchString(out) {
		t.Errorf("a zero timeout was not refused (%v):\n%s", err, out)
	}
	if n := e.emu.Counters().Requests; n != 0 {
		t.Errorf("a refused configuration made %d requests", n)
	}
}

// TestAccWaitAction_interrupt: SIGINT while the action waits stops the
// wait at once and Terraform promptly. Terraform 1.15 then shows neither
// the action's diagnostics nor a failure (it prints "Apply complete!" with
// no action invoked, and exits 0), so the provider's log is what tells
// that the wait saw the interrupt.
func TestAccWaitAction_interrupt(t *testing.T) {
	skipUnlessActions(t)
	t.Parallel()
	svc := service.ECS
	clock := emulator.NewManualClock(time.Now())
	e := newAccEnv(t, emulator.Options{JobClock: clock})
	id, err := e.emu.CreateJob(emulator.JobSpec{Service: svc.Name, Timeline: []emulator.Step{{Status: "RUNNING"}, {Status: "SUCCESS", After: time.Hour}}})
	if err != nil {
		t.Fatal(err)
	}
	w := newTFWorkdir(t, e, actionHCL(svc, id, ""))
	logFile := filepath.Join(w.dir, "provider.log")
	w.env = append(w.env, "TF_LOG_PROVIDER=INFO", "TF_LOG_PATH="+logFile)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd, out := w.command(ctx, invokeArgs(svc)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	readsAtLeast(t, e, svc, id, 2, out)
	interrupted := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	stopped := time.Since(interrupted)
	// Generous: these machines are shared and noisy. The provider itself
	// stops within a read (see TestWait_createHonoursCancel).
	if stopped > 30*time.Second {
		t.Errorf("Terraform took %s to stop after SIGINT", stopped)
	}
	if strings.Contains(out.String(), "Action complete:") || strings.Contains(out.String(), "Actions: 1 invoked") {
		t.Errorf("an interrupted action is reported complete:\n%s", out)
	}
	// Terraform may exit before it has copied the provider's last log
	// lines, so this is told, not checked; TestWaitAction_cancel checks
	// the cancel in process.
	if log, _ := os.ReadFile(logFile); regexp.MustCompile(`the wait ended without a finished job: .*the wait was cancelled after`).Match(log) {
		t.Log("the provider's log says the wait was cancelled")
	}
	reads := e.emu.Counters().JobReads(svc.Name, id)
	time.Sleep(1500 * time.Millisecond)
	if after := e.emu.Counters().JobReads(svc.Name, id); after != reads {
		t.Errorf("the job was read %d times after Terraform exited", after-reads)
	}
	t.Logf("Terraform exited (%v) %s after SIGINT", err, stopped.Round(10*time.Millisecond))
}

// TestAccWaitAction_dependentsDoNotWait records what Terraform does with
// an action triggered after_create: a resource that depends on the
// triggering resource is created while the action still waits. The
// action's job finishes only when the test moves its clock, and the
// dependent (a wait resource on a finished job) is read before that. A
// Terraform that made dependents wait for the triggering resource's
// actions would fail this test; the guide then needs changing.
func TestAccWaitAction_dependentsDoNotWait(t *testing.T) {
	skipUnlessActions(t)
	t.Parallel()
	svc := service.ECS
	clock := emulator.NewManualClock(time.Now())
	e := newAccEnv(t, emulator.Options{JobClock: clock})
	id, err := e.emu.CreateJob(emulator.JobSpec{Service: svc.Name, JobID: "triggered", Timeline: []emulator.Step{{Status: "RUNNING"}, {Status: "SUCCESS", After: time.Hour}}})
	if err != nil {
		t.Fatal(err)
	}
	probe := fixedJob(svc, "SUCCESS")
	w := newTFWorkdir(t, e, fmt.Sprintf(`
resource "terraform_data" "start" {
  input = %q

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.%[2]s.x]
    }
  }
}

action %[2]q "x" {
  config {
    job_id = terraform_data.start.output
  }
}

resource %[2]q "dependent" {
  depends_on = [terraform_data.start]
  job_id     = %[3]q
}
`, id, waitType(svc), probe))
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd, out := w.command(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	readsAtLeast(t, e, svc, id, 2, out) // the action waits
	dependentRead := false
	for deadline := time.Now().Add(45 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if e.emu.Counters().JobReads(svc.Name, probe) > 0 {
			dependentRead = true
			break
		}
	}
	stillWaiting := e.emu.Counters().JobReads(svc.Name, id)
	clock.Advance(2 * time.Hour)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the apply failed (%v):\n%s", err, out)
	}
	if !dependentRead {
		t.Errorf("the dependent was not created while the action waited (%d reads of the action's job): Terraform now orders dependents after the actions of what they depend on; update the guide:\n%s", stillWaiting, out)
	}
	if !strings.Contains(out.String(), "Actions: 1 invoked.") || !strings.Contains(out.String(), "2 added") {
		t.Errorf("want 2 resources added and 1 action invoked:\n%s", out)
	}
}

// TestAccWaitAction_trigger runs the action from a resource's
// action_trigger through the testing library: after_create of a
// terraform_data standing for the resource that started the job, whose
// output is the job id. A failed job fails the apply with its reasons.
func TestAccWaitAction_trigger(t *testing.T) {
	skipUnlessActions(t)
	t.Parallel()
	svc := service.SFSTurbo
	e := newAccEnv(t, emulator.Options{})
	ok := e.timedJob(t, svc, "triggered-ok", service.Succeeded, jobDuration, 0)
	failed := e.timedJob(t, svc, "triggered-failed", service.Failed, jobDuration, 0)
	// Each step creates its own terraform_data: changing the input of one
	// would update it, and after_create would not fire.
	config := func(name, jobID string) string {
		return e.config("", fmt.Sprintf(`
resource "terraform_data" %[1]q {
  input = %[2]q

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.%[3]s.%[1]s]
    }
  }
}

action %[3]q %[1]q {
  config {
    job_id = terraform_data.%[1]s.output
  }
}
`, name, jobID, waitType(svc)))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{
				Config: config("ok", ok),
				Check: func(*terraform.State) error {
					if n := e.emu.Counters().JobReads(svc.Name, ok); n < 1 {
						return fmt.Errorf("the triggered action read the job %d times", n)
					}
					return nil
				},
			},
			{Config: config("failed", failed), ExpectError: regexp.MustCompile(failureText(svc, failed))},
		},
	})
}

// invokeDirect runs a wait action's Invoke in process, as Terraform would
// after configuring the provider, and returns its diagnostics and the
// progress lines it sent.
func (e *accEnv) invokeDirect(ctx context.Context, t *testing.T, svc *service.Service, args map[string]tftypes.Value) (string, []string) {
	t.Helper()
	var progress []string
	diags := e.invokeWith(ctx, t, svc, args, func(ev action.InvokeProgressEvent) { progress = append(progress, ev.Message) })
	return diags, progress
}

// invokeWith runs a wait action's Invoke in process with send as the
// framework's SendProgress, and returns its diagnostics.
func (e *accEnv) invokeWith(ctx context.Context, t *testing.T, svc *service.Service, args map[string]tftypes.Value, send func(action.InvokeProgressEvent)) string {
	t.Helper()
	configureResp := e.configured(t, nil)
	if configureResp.Diagnostics.HasError() {
		t.Fatal(diagText(configureResp.Diagnostics))
	}
	a := newWaitAction(svc)().(*waitAction)
	a.Configure(ctx, action.ConfigureRequest{ProviderData: configureResp.ActionData}, &action.ConfigureResponse{})
	var sr action.SchemaResponse
	a.Schema(ctx, action.SchemaRequest{}, &sr)
	raw := objectWith(ctx, sr.Schema.Type().TerraformType(ctx), args)
	resp := action.InvokeResponse{SendProgress: send}
	a.Invoke(ctx, action.InvokeRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: raw}}, &resp)
	return diagText(resp.Diagnostics)
}

// TestWaitAction_cancel: a cancelled context (Terraform's stop on SIGINT)
// ends the action's wait at once, with the resource's words.
func TestWaitAction_cancel(t *testing.T) {
	e := newAccEnv(t, emulator.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancelled := make(chan time.Time, 1)
	go func() {
		time.Sleep(1500 * time.Millisecond) // past the first reads, into a sleep
		cancelled <- time.Now()
		cancel()
	}()
	id := fixedJob(service.ECS, "RUNNING")
	diags, progress := e.invokeDirect(ctx, t, service.ECS, map[string]tftypes.Value{"job_id": strVal(id)})
	if lag := time.Since(<-cancelled); lag > time.Second {
		t.Errorf("Invoke returned %s after the cancel", lag)
	}
	if !strings.HasPrefix(diags, "[Error] Stopped waiting for ECS job "+id+": the wait was cancelled after") || strings.Count(diags, "\n") != 1 {
		t.Errorf("want one error that says the wait stopped, got:\n%s", diags)
	}
	if len(progress) != 1 || !strings.HasPrefix(progress[0], "ECS job "+shortJobID(id)+": RUNNING, ") {
		t.Errorf("progress lines %q, want one saying RUNNING", progress)
	}
}

// TestWaitAction_streamGone: when nothing reads the progress lines any more
// (Terraform's stream has broken), the end of the context still ends the
// action at once.
func TestWaitAction_streamGone(t *testing.T) {
	e := newAccEnv(t, emulator.Options{})
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	blocked := make(chan struct{})
	defer close(blocked)
	start := time.Now()
	diags := e.invokeWith(ctx, t, service.ECS, map[string]tftypes.Value{"job_id": strVal(fixedJob(service.ECS, "RUNNING"))},
		func(action.InvokeProgressEvent) { <-blocked })
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Invoke returned %s after it began, its context ending after 1s", took)
	}
	if !strings.Contains(diags, "Timed out waiting for ECS job") {
		t.Errorf("want the timeout error, got:\n%s", diags)
	}
}

// TestWaitAction_allowFailureWarns: in process, a failed job is one error
// without allow_failure and one warning with it, each naming the failure
// as the wait resource does.
func TestWaitAction_allowFailureWarns(t *testing.T) {
	e := newAccEnv(t, emulator.Options{})
	id := fixedJob(service.ECS, "FAIL")
	for _, allow := range []bool{false, true} {
		diags, progress := e.invokeDirect(t.Context(), t, service.ECS, map[string]tftypes.Value{"job_id": strVal(id), "allow_failure": tftypes.NewValue(tftypes.Bool, allow)})
		want := "[Error] ECS job " + id + " (createServer) failed: "
		tail := "Set allow_failure = true for a failed job to end the action with a warning instead of an error.\n"
		if allow {
			want, tail = "[Warning] ECS job "+id+" (createServer) failed: ", "Not an error because allow_failure is true.\n"
		}
		if !strings.HasPrefix(diags, want) || !strings.HasSuffix(diags, tail) || strings.Count(diags, "[Error]")+strings.Count(diags, "[Warning]") != 1 {
			t.Errorf("allow_failure = %t: want one diagnostic %q...%q, got:\n%s", allow, want, tail, diags)
		}
		for _, s := range []string{"Ecs.0013", "Insufficient EIP quota.", "Ecs.0610"} {
			if !strings.Contains(diags, s) {
				t.Errorf("allow_failure = %t: the diagnostic lacks %q:\n%s", allow, s, diags)
			}
		}
		if len(progress) != 1 || !strings.HasPrefix(progress[0], "ECS job "+shortJobID(id)+": FAIL") {
			t.Errorf("progress lines %q, want one saying FAIL", progress)
		}
	}
}

// TestProviderServesWaitActions: the provider, built from any list of
// descriptions (the production one, and the synthetic one of
// registry_test.go), serves one wait action per service under the wait
// resource's type name, with the resource's job arguments, and the
// framework finds nothing wrong with its schemas.
func TestProviderServesWaitActions(t *testing.T) {
	for _, services := range [][]*service.Service{service.All(), {kube}} {
		p := &hwcjobsProvider{version: "test", services: services, getenv: func(string) string { return "" }}
		srv, err := providerserver.NewProtocol6WithError(p)()
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || len(resp.Diagnostics) != 0 {
			t.Fatalf("GetProviderSchema: %v %+v", err, resp.Diagnostics)
		}
		if len(resp.ActionSchemas) != len(services) {
			t.Errorf("%d action schemas for %d services", len(resp.ActionSchemas), len(services))
		}
		for _, svc := range services {
			as, ok := resp.ActionSchemas[waitType(svc)]
			if !ok {
				t.Errorf("no action %s", waitType(svc))
				continue
			}
			if _, ok := resp.ResourceSchemas[waitType(svc)]; !ok {
				t.Errorf("no resource %s beside the action", waitType(svc))
			}
			got := map[string]string{}
			for _, a := range as.Schema.Block.Attributes {
				kind := "optional"
				if a.Required {
					kind = "required"
				}
				got[a.Name] = kind
			}
			want := map[string]string{"job_id": "required", "region": "optional", "project_id": "optional", "allow_failure": "optional", "timeout": "optional"}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s arguments %v, want %v", waitType(svc), got, want)
			}
		}
	}
}
