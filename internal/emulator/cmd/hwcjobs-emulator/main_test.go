package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// startEmulator runs an emulator in process with a manual clock.
func startEmulator(t *testing.T) (*emulator.Server, *emulator.ManualClock, string) {
	t.Helper()
	clock := emulator.NewManualClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	srv := emulator.New(emulator.Options{JobClock: clock})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, clock, ts.URL
}

// cli runs one sub-command against url and returns its output and error.
func cli(t *testing.T, url string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	if len(args) > 0 && url != "" {
		args = append([]string{args[0], "-url", url}, args[1:]...)
	}
	err := run(context.Background(), args, &out, &errOut)
	return out.String(), err
}

// readJob reads a job through the prefixed API with the demo token.
func readJob(t *testing.T, url string, svc *service.Service, id string) map[string]any {
	t.Helper()
	path := "/" + svc.Host + strings.NewReplacer("{project_id}", emulator.DefaultProjectID, "{job_id}", id).Replace(svc.Path)
	req, _ := http.NewRequest(http.MethodGet, url+path, nil)
	req.Header.Set("X-Auth-Token", emulator.DemoAuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("GET %s: %d: %v", path, resp.StatusCode, err)
	}
	return m
}

func TestCreateAdvanceFail(t *testing.T) {
	srv, _, url := startEmulator(t)
	out, err := cli(t, url, "create", "-service", "sfs-turbo", "-id", "t-1", "-duration", "30s", "-sub-jobs", "2")
	if err != nil || out != "t-1\n" {
		t.Fatalf("create: %q %v", out, err)
	}
	if st := readJob(t, url, service.SFSTurbo, "t-1")["status"]; st != "waiting" {
		t.Errorf("at 0s: %v, want waiting", st)
	}
	if out, err := cli(t, url, "advance", "10s"); err != nil || !strings.HasPrefix(out, "2025-01-02T03:04:15") {
		t.Fatalf("advance: %q %v", out, err)
	}
	if st := readJob(t, url, service.SFSTurbo, "t-1")["status"]; st != "running" {
		t.Errorf("at 10s: %v, want running", st)
	}
	if out, err := cli(t, url, "fail", "-service", "sfs_turbo", "-id", "t-1", "-code", "SFS.TURBO.0999", "-reason", "disk on fire"); err != nil || out != "sfs_turbo job t-1: failed\n" {
		t.Fatalf("fail: %q %v", out, err)
	}
	job := readJob(t, url, service.SFSTurbo, "t-1")
	if job["status"] != "failed" || job["error_code"] != "SFS.TURBO.0999" || job["fail_reason"] != "disk on fire" || len(job["sub_jobs"].([]any)) != 2 {
		t.Errorf("after fail: %v", job)
	}

	// A timeline of the user's words, ending in a failure with its reason.
	if _, err := cli(t, url, "create", "-service", "ecs", "-id", "t-2", "-timeline", "INIT=0s,RUNNING=1s,FAIL=5s", "-code", "Ecs.0001", "-reason", "no"); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, url, "advance", "5s"); err != nil {
		t.Fatal(err)
	}
	if job := readJob(t, url, service.ECS, "t-2"); job["status"] != "FAIL" || job["fail_reason"] != "no" {
		t.Errorf("t-2: %v", job)
	}
	// -fail alone ends in the service's failed status with its example reason.
	if _, err := cli(t, url, "create", "-service", "elb", "-id", "t-3", "-duration", "3s", "-fail"); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, url, "advance", "3s"); err != nil {
		t.Fatal(err)
	}
	if job := readJob(t, url, service.ELB, "t-3")["job"].(map[string]any); job["status"] != "FAIL" || job["error_code"] != service.ELB.Examples.ErrorCode {
		t.Errorf("t-3: %v", job)
	}

	out, err = cli(t, url, "jobs", "-service", "ecs")
	if err != nil || !strings.Contains(out, "t-2") || strings.Contains(out, "t-1") {
		t.Errorf("jobs -service ecs: %q %v", out, err)
	}
	out, err = cli(t, url, "counters")
	if err != nil || !strings.Contains(out, `"requests": 5`) || strings.Contains(out, "raw_requests") {
		t.Errorf("counters: %q %v", out, err)
	}
	if out, err := cli(t, url, "counters", "-reset"); err != nil || srv.Counters().Requests != 0 {
		t.Errorf("counters -reset: %q %v", out, err)
	}
	if out, err := cli(t, url, "expire", "-service", "ecs", "-id", "t-2"); err != nil || !strings.Contains(out, "expired") {
		t.Errorf("expire: %q %v", out, err)
	}
	out, err = cli(t, url, "routes")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range emulator.AdminRoutes() {
		if !strings.Contains(out, r.Path) {
			t.Errorf("routes leaves out %s", r.Path)
		}
	}
	if out, err := cli(t, url, "clock"); err != nil || !strings.Contains(out, "(manual)") {
		t.Errorf("clock: %q %v", out, err)
	}
}

func TestJobSpecFile(t *testing.T) {
	_, _, url := startEmulator(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	writeFile(t, good, `[{"service":"sdrs","job_id":"f-1"},{"service":"ecs","job_id":"f-2"}]`)
	if out, err := cli(t, url, "create", "-file", good); err != nil || out != "f-1\nf-2\n" {
		t.Errorf("create -file: %q %v", out, err)
	}
}

// Bad input is an error that names the problem, and the emulator still
// answers afterwards.
func TestBadInput(t *testing.T) {
	_, _, url := startEmulator(t)
	dir := t.TempDir()
	malformed := filepath.Join(dir, "malformed.json")
	writeFile(t, malformed, `{"service": "ecs", "timeline": [`)
	misspelt := filepath.Join(dir, "misspelt.json")
	writeFile(t, misspelt, `{"service": "ecs", "timline": []}`)
	negative := filepath.Join(dir, "negative.json")
	writeFile(t, negative, `{"service": "ecs", "timeline": [{"status": "INIT", "after": "-2s"}]}`)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"create", "-service", "nope"}, `unknown service "nope" (want one of ecs, elb, sdrs, sfs_turbo`},
		{[]string{"create"}, "-service is required"},
		{[]string{"create", "-service", "ecs", "-duration", "-5s"}, "-duration -5s is negative"},
		{[]string{"create", "-service", "ecs", "-timeline", "INIT=0s,RUNNING=-1s"}, "step 1 (RUNNING): negative duration -1s"},
		{[]string{"create", "-service", "ecs", "-timeline", "INIT,RUNNING=1s"}, `step 0 "INIT": want STATUS=AFTER`},
		{[]string{"create", "-service", "ecs", "-timeline", "RUNNING=2s,INIT=1s"}, "out of order"},
		{[]string{"create", "-file", malformed}, "malformed.json: job spec: unexpected EOF"},
		{[]string{"create", "-file", misspelt}, `misspelt.json: job spec: json: unknown field "timline"`},
		{[]string{"create", "-file", negative}, "negative duration -2s"},
		{[]string{"create", "-file", filepath.Join(dir, "absent.json")}, "absent.json: no such file"},
		{[]string{"create", "-file", negative, "-service", "ecs"}, "-file takes the whole spec"},
		{[]string{"advance", "-1m"}, "-1m0s is negative"},
		{[]string{"advance"}, "want one duration"},
		{[]string{"advance", "soon"}, `invalid duration "soon"`},
		{[]string{"fail", "-service", "ecs", "-id", "ecs-running"}, "never changes"},
		{[]string{"fail", "-service", "ecs", "-id", "absent"}, "404 Not Found"},
		{[]string{"fail", "-service", "ecs"}, "-service and -id are required"},
		{[]string{"expire", "-service", "ecs", "-id", "absent"}, `no ecs job "absent"`},
		{[]string{"frobnicate"}, `unknown sub-command "frobnicate"`},
	} {
		_, err := cli(t, url, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error with %q", tc.args, err, tc.want)
		}
	}
	for _, bad := range []string{"http://10.0.0.1:8080", "http://169.254.169.254", "ftp://127.0.0.1"} {
		if _, err := cli(t, bad, "jobs"); err == nil || (!strings.Contains(err.Error(), "loopback only") && !strings.Contains(err.Error(), "want http")) {
			t.Errorf("-url %s: %v", bad, err)
		}
	}
	t.Setenv(URLEnv, "")
	if _, err := cli(t, "", "jobs"); err == nil || !strings.Contains(err.Error(), "no emulator URL") {
		t.Errorf("no URL: %v", err)
	}
	if out, err := cli(t, url, "jobs"); err != nil || !strings.Contains(out, "ecs-running") {
		t.Errorf("the emulator after bad input: %q %v", out, err)
	}
}

// The emulator in per-service mode on any free ports prints the export
// lines and the SDK endpoints, and writes the exports to -env-file.
func TestServePerService(t *testing.T) {
	dir := t.TempDir()
	envFile := filepath.Join(dir, "env")
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-per-service", "-ports=0", "-env-file", envFile}, &out, &out) }()
	var exports []byte
	for range 100 {
		if exports, _ = os.ReadFile(envFile); len(exports) > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	banner := out.String()
	for _, want := range []string{"export HW_REGION_NAME=cn-north-4", "export HW_ACCESS_KEY=", "export HW_SECRET_KEY=", "export HW_IAM_ENDPOINT=http://127.0.0.1:", "/_emulator/", "# For SDKs"} {
		if !strings.Contains(banner, want) || (strings.HasPrefix(want, "export") && !strings.Contains(string(exports), want)) {
			t.Errorf("banner or env file lacks %q:\n%s", want, banner)
		}
	}
	for _, svc := range service.All() {
		if !strings.Contains(string(exports), "export "+svc.EnvVar()+"=http://127.0.0.1:") {
			t.Errorf("no export of %s:\n%s", svc.EnvVar(), exports)
		}
	}
	t.Log("\n" + banner)
	for _, args := range [][]string{{"-host", "10.0.0.1"}, {"-ports", "-1", "-per-service"}, {"-speed", "2", "-manual-clock"}, {"extra"}} {
		if err := run(context.Background(), args, &out, &out); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
