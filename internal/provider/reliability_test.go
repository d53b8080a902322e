package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// TestAccBadInput: job ids, project ids and regions that could change the
// request path are refused with a clear error, at plan time when the value
// is known and at apply time when it is not; in neither case does a request
// leave its path (the emulator records every path it receives).
func TestAccBadInput(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t, emulator.Options{})
	bad := map[string]string{
		"empty":     ``,
		"blank":     `   `,
		"slash":     `a/b`,
		"backslash": `a\\b`,
		"dotdot":    `../ecs-success`,
		"escaped":   `a%2Fb`,
		"query":     `a?b=c`,
		"fragment":  `a#b`,
		"newline":   `a\nb`,
		"long":      strings.Repeat("a", 10<<10),
	}
	var steps []resource.TestStep
	for name, id := range bad {
		steps = append(steps,
			resource.TestStep{ // known at plan time
				Config:      e.config("", fmt.Sprintf("data \"hwcjobs_ecs_job\" %q {\n  job_id = \"%s\"\n}\n", name, id)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid job_id`),
			},
			resource.TestStep{ // known only at apply time
				Config: e.config("", fmt.Sprintf(`
resource "terraform_data" "id" { input = "%s" }
data "hwcjobs_ecs_job" %q { job_id = terraform_data.id.output }
`, id, name)),
				ExpectError: regexp.MustCompile(`invalid job_id`),
			},
		)
	}
	for _, tc := range []struct{ attr, value, want string }{
		{"project_id", `p/../q`, `Invalid project_id`},
		{"project_id", `p%2Fq`, `Invalid project_id`},
		{"region", `cn-north-4/x`, `region name`},
		{"region", `cn-north-4?x=1`, `region name`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      e.config("", fmt.Sprintf("data \"hwcjobs_ecs_job\" \"x\" {\n  job_id = \"ecs-success\"\n  %s = %q\n}\n", tc.attr, tc.value)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(tc.want),
		})
	}
	// A last valid step, so that the test's destroy has a configuration it
	// can plan; it reads nothing.
	steps = append(steps, resource.TestStep{Config: e.config("", `resource "terraform_data" "id" { input = "ok" }`)})
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: e.factories(), Steps: steps})
	c := e.emu.Counters()
	if c.Requests != 0 {
		t.Errorf("bad input sent %d requests: %+v", c.Requests, c.RawRequests)
	}
}

// TestAccFaults: for each class of fault, a data source and a wait resource
// against a faulty emulator end in success once the fault clears, or in a
// clear error within the configured bounds.
func TestAccFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault emulator.Fault
		attrs string // provider attributes
		want  string // "" for success, else the error pattern
		// waitWant, when set, replaces want for the wait resource, which
		// reads again after an error the client gave up on.
		waitWant string
		status   int // an answer the emulator must have sent
	}{
		{name: "429 Retry-After seconds", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 429, RetryAfter: "1", Count: 2}, status: 429},
		{name: "429 Retry-After date", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 429, RetryAfter: "Thu, 01 Jan 2015 00:00:00 GMT", Count: 2}, status: 429},
		{name: "5xx", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 502, Count: 2}, status: 502},
		{name: "slow", fault: emulator.Fault{Kind: emulator.FaultSlow, Delay: 3 * time.Second, Count: 1}, attrs: `request_timeout = "1s"`},
		{name: "dropped", fault: emulator.Fault{Kind: emulator.FaultDrop, Count: 1}},
		{name: "dropped mid-body", fault: emulator.Fault{Kind: emulator.FaultDropMidBody, Count: 1}},
		{name: "persistent 503", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 503, Count: -1}, attrs: `max_retries = 1`,
			want: `HTTP 503`, status: 503},
		{name: "no retries", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 504, Count: 1}, attrs: `max_retries = 0`,
			want: `HTTP 504`, waitWant: "-", status: 504},
		{name: "malformed", fault: emulator.Fault{Kind: emulator.FaultMalformed, Count: -1}, want: `malformed\s+JSON`},
		{name: "wrong shape", fault: emulator.Fault{Kind: emulator.FaultWrongShape, Count: -1}, want: `no\s+status`},
	}
	for _, tt := range tests {
		for _, kind := range []string{"data source", "wait"} {
			t.Run(tt.name+" "+kind, func(t *testing.T) {
				t.Parallel()
				e := newAccEnv(t, emulator.Options{})
				id, err := e.emu.CreateJob(emulator.JobSpec{Service: "ecs", Timeline: []emulator.Step{{Status: "RUNNING"}, {Status: "SUCCESS", After: 2 * time.Second}}})
				if err != nil {
					t.Fatal(err)
				}
				f := tt.fault
				f.Service, f.JobID = "ecs", id
				body := fmt.Sprintf("data \"hwcjobs_ecs_job\" \"x\" {\n  job_id = %q\n}\n", id)
				addr := "data.hwcjobs_ecs_job.x"
				if kind == "wait" {
					body = fmt.Sprintf("resource \"hwcjobs_ecs_job_wait\" \"x\" {\n  job_id = %q\n  timeouts {\n    create = \"20s\"\n  }\n}\n", id)
					addr = "hwcjobs_ecs_job_wait.x"
				}
				step := resource.TestStep{
					PreConfig: func() {
						if err := e.emu.InjectFault(f); err != nil {
							t.Fatal(err)
						}
					},
					Config: e.config(tt.attrs, body),
				}
				want := tt.want
				if kind == "wait" && tt.waitWant != "" {
					want = strings.TrimPrefix(tt.waitWant, "-")
				}
				if want != "" {
					step.ExpectError = regexp.MustCompile(want)
				} else {
					step.ConfigStateChecks = []statecheck.StateCheck{check(addr, knownvalue.NotNull(), "status")}
				}
				resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: e.factories(), Steps: []resource.TestStep{step}})
				c := e.emu.Counters()
				if tt.status != 0 && c.Statuses[tt.status] == 0 {
					t.Errorf("the emulator never answered %d: %v", tt.status, c.Statuses)
				}
				if n := c.JobReads("ecs", id); n < 2 && want == "" {
					t.Errorf("the job was read %d times: the fault did not hit", n)
				}
			})
		}
	}
}

// TestAccFleet: 50 wait resources in one apply with -parallelism=50 against
// an emulator limited to 10 requests per second, the provider limited to 8:
// all finish, and the emulator throttles none of them.
func TestAccFleet(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t, emulator.Options{RateLimit: emulator.RateLimit{RPS: 10, Burst: 10}})
	var config strings.Builder
	config.WriteString("provider \"hwcjobs\" {\n  requests_per_second = 8\n}\n")
	for i := range 50 {
		id, err := e.emu.CreateJob(emulator.JobSpec{Service: "ecs", Timeline: []emulator.Step{
			{Status: "INIT"}, {Status: "RUNNING", After: time.Second}, {Status: "SUCCESS", After: time.Duration(2+i%5) * time.Second},
		}})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&config, "resource \"hwcjobs_ecs_job_wait\" \"w%d\" {\n  job_id = %q\n}\n", i, id)
	}
	w := newTFWorkdir(t, e, config.String())
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	out, err := w.run(ctx, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=50")
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if !strings.Contains(out, "50 added") {
		t.Errorf("apply did not create 50 waits:\n%s", out)
	}
	c := e.emu.Counters()
	t.Logf("fleet of 50: %s, %d requests, %d answered 429", time.Since(start).Round(time.Second), c.Requests, c.Statuses[429])
	if c.Statuses[429] != 0 {
		t.Errorf("the emulator throttled %d requests; the provider's limit should have kept under it", c.Statuses[429])
	}
}

// TestAccInterrupt: SIGINT during a wait stops Terraform promptly and leaves
// no resource in state; the next apply waits again and succeeds.
func TestAccInterrupt(t *testing.T) {
	t.Parallel()
	clock := emulator.NewManualClock(time.Now())
	e := newAccEnv(t, emulator.Options{JobClock: clock})
	id, err := e.emu.CreateJob(emulator.JobSpec{Service: "ecs", Timeline: []emulator.Step{{Status: "RUNNING"}, {Status: "SUCCESS", After: time.Hour}}})
	if err != nil {
		t.Fatal(err)
	}
	w := newTFWorkdir(t, e, fmt.Sprintf("resource \"hwcjobs_ecs_job_wait\" \"x\" {\n  job_id = %q\n}\n", id))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	cmd, out := w.command(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); e.emu.Counters().JobReads("ecs", id) < 2; {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the wait never read the job:\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	interrupted := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	stopped := time.Since(interrupted)
	if err == nil {
		t.Fatalf("an interrupted apply succeeded:\n%s", out)
	}
	if !strings.Contains(out.String(), "Stopped waiting for ECS job") {
		t.Errorf("the interrupted apply does not say it stopped waiting:\n%s", out)
	}
	t.Logf("Terraform exited %s after SIGINT", stopped.Round(10*time.Millisecond))
	if list, _ := w.run(ctx, "state", "list"); strings.Contains(list, "hwcjobs_ecs_job_wait") {
		t.Errorf("an interrupted wait is in state: %q", list)
	}

	clock.Advance(2 * time.Hour)
	if out, err := w.run(ctx, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil || !strings.Contains(out, "1 added") {
		t.Fatalf("the next apply did not wait again and succeed (%v):\n%s", err, out)
	}
}

// TestAccFailedApplyKeepsState: a failed wait added beside an existing one
// fails the apply but leaves the existing resource as it was.
func TestAccFailedApplyKeepsState(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t, emulator.Options{})
	ok := "resource \"hwcjobs_ecs_job_wait\" \"ok\" {\n  job_id = \"ecs-success\"\n}\n"
	kept := []statecheck.StateCheck{
		check("hwcjobs_ecs_job_wait.ok", str("SUCCESS"), "status"),
		check("hwcjobs_ecs_job_wait.ok", str("ecs-success"), "id"),
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: e.config("", ok), ConfigStateChecks: kept},
			{
				Config:      e.config("", ok+"resource \"hwcjobs_ecs_job_wait\" \"bad\" {\n  job_id = \"ecs-fail\"\n}\n"),
				ExpectError: regexp.MustCompile(`ECS job ecs-fail \(createServer\) failed`),
			},
			{Config: e.config("", ok), ConfigStateChecks: kept, PlanOnly: true},
		},
	})
}

// TestJobDataSource_noSecretsInDiagnostics: the errors of a refused
// signature, an expired token and a failing read never carry a secret.
func TestJobDataSource_noSecretsInDiagnostics(t *testing.T) {
	const sk, securityToken, token = "diag-secret-key-4242", "diag-security-token-4242", "diag-auth-token-4242"
	for name, attrs := range map[string]map[string]tftypes.Value{
		"wrong secret key": {"secret_key": strVal(sk), "security_token": strVal(securityToken)},
		"expired token":    {"access_key": tftypes.NewValue(tftypes.String, nil), "secret_key": tftypes.NewValue(tftypes.String, nil), "auth_token": strVal(token)},
	} {
		e := newAccEnv(t, emulator.Options{})
		diags, _ := e.readDirect(t, service.ECS, attrs, map[string]tftypes.Value{"job_id": strVal("ecs-success")})
		text := diagText(diags)
		if !diags.HasError() || !strings.Contains(text, "APIGW.0301") {
			t.Fatalf("%s: want the gateway's 401, got:\n%s", name, text)
		}
		for _, secret := range []string{sk, securityToken, token} {
			if strings.Contains(text, secret) {
				t.Errorf("%s: a diagnostic carries a secret:\n%s", name, text)
			}
		}
	}
}
