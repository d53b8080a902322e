package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultStatus(t *testing.T) {
	e := newEnv(t, Options{})
	path := jobPath("ecs", "ecs-running")
	if err := e.srv.InjectFault(Fault{Service: "ecs", JobID: "ecs-running", Kind: FaultStatus, Status: 503, RetryAfter: "7", Count: 2}); err != nil {
		t.Fatal(err)
	}
	mustInject(t, e.srv, Fault{Service: "ecs", Kind: FaultStatus, Status: 429})
	for i, want := range []int{503, 503, 429, 200} {
		resp, body := e.get(t, path)
		if resp.StatusCode != want {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, body)
		}
		m := decodeJSON(t, body)
		switch want {
		case 503:
			if resp.Header.Get("Retry-After") != "7" || m["error_code"] != "APIGW.0203" || m["request_id"] != resp.Header.Get("X-Request-Id") {
				t.Errorf("503: %v %s", resp.Header, body)
			}
		case 429:
			if m["error_code"] != "APIGW.0308" || resp.Header.Get("Retry-After") != "" {
				t.Errorf("429: %v %s", resp.Header, body)
			}
		}
	}
	if len(e.srv.Faults()) != 0 {
		t.Errorf("faults left: %+v", e.srv.Faults())
	}
}

func TestFaultMatching(t *testing.T) {
	e := newEnv(t, Options{})
	mustInject(t, e.srv, Fault{Service: "elb", Kind: FaultStatus, Status: 500, Count: -1})
	mustInject(t, e.srv, Fault{JobID: "sdrs-init", Kind: FaultNotFound})
	mustInject(t, e.srv, Fault{Kind: FaultStatus, Status: 502})
	if resp, _ := e.get(t, "/iam/v3/projects?name=cn-north-4"); resp.StatusCode != 200 {
		t.Errorf("IAM hit by a job fault: %d", resp.StatusCode)
	}
	for i := 0; i < 3; i++ {
		if resp, _ := e.get(t, jobPath("elb", "elb-init")); resp.StatusCode != 500 {
			t.Errorf("unlimited ELB fault, request %d: %d", i, resp.StatusCode)
		}
	}
	if resp, body := e.get(t, jobPath("sdrs", "sdrs-init")); resp.StatusCode != 404 || !strings.Contains(string(body), "SDRS.1301") {
		t.Errorf("not_found fault: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.get(t, jobPath("sdrs", "sdrs-init")); resp.StatusCode != 502 {
		t.Errorf("any-job fault: %d", resp.StatusCode)
	}
	if resp, _ := e.get(t, jobPath("sdrs", "sdrs-init")); resp.StatusCode != 200 {
		t.Errorf("after the faults: %d", resp.StatusCode)
	}
	mustInject(t, e.srv, Fault{Service: "iam", Kind: FaultStatus, Status: 504})
	if resp, body := e.get(t, "/iam/v3/projects?name=cn-north-4"); resp.StatusCode != 504 || decodeJSON(t, body)["error_code"] != "APIGW.0202" {
		t.Errorf("IAM fault: %d %s", resp.StatusCode, body)
	}
	if err := e.srv.InjectFault(Fault{Kind: "explode"}); err == nil {
		t.Error("unknown kind accepted")
	}
	// Admin route, and clearing.
	if status, body := e.admin(t, http.MethodPost, "faults", map[string]any{"service": "ecs", "kind": "slow", "delay": "10ms"}); status != http.StatusCreated {
		t.Errorf("admin inject: %d %s", status, body)
	}
	if status, _ := e.admin(t, http.MethodDelete, "faults", nil); status != http.StatusNoContent || len(e.srv.Faults()) != 0 {
		t.Errorf("clear: %d, %d left", status, len(e.srv.Faults()))
	}
}

func TestFaultSlow(t *testing.T) {
	e := newEnv(t, Options{})
	mustInject(t, e.srv, Fault{Kind: FaultSlow, Delay: 60 * time.Millisecond})
	start := time.Now()
	resp, body := e.get(t, jobPath("ecs", "ecs-success"))
	if took := time.Since(start); took < 60*time.Millisecond || resp.StatusCode != 200 || !json.Valid(body) {
		t.Errorf("slow: %s, %d %s", took, resp.StatusCode, body)
	}

	// The client gives up first: the emulator stops waiting too.
	mustInject(t, e.srv, Fault{Kind: FaultSlow, Delay: time.Minute})
	client := &http.Client{Timeout: 50 * time.Millisecond}
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+jobPath("ecs", "ecs-success"), nil)
	req.Header.Set("X-Auth-Token", DemoAuthToken)
	if _, err := client.Do(req); err == nil {
		t.Fatal("a one-minute answer arrived within 50ms")
	}
	deadline := time.Now().Add(2 * time.Second)
	for e.srv.Counters().Statuses[0] == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if e.srv.Counters().Statuses[0] != 1 {
		t.Errorf("abandoned request not recorded: %v", e.srv.Counters().Statuses)
	}
}

func TestFaultDrop(t *testing.T) {
	e := newEnv(t, Options{})
	mustInject(t, e.srv, Fault{Service: "sfs-turbo", Kind: FaultDrop})
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+jobPath("sfs-turbo", "sfs-turbo-running"), nil)
	req.Header.Set("X-Auth-Token", DemoAuthToken)
	if resp, err := e.client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped connection answered %d", resp.StatusCode)
	}
	if resp, _ := e.get(t, jobPath("sfs-turbo", "sfs-turbo-running")); resp.StatusCode != 200 {
		t.Errorf("after the drop: %d", resp.StatusCode)
	}
}

func TestFaultDropMidBody(t *testing.T) {
	e := newEnv(t, Options{})
	mustInject(t, e.srv, Fault{Service: "ecs", Kind: FaultDropMidBody})
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+jobPath("ecs", "ecs-success"), nil)
	req.Header.Set("X-Auth-Token", DemoAuthToken)
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatalf("headers should arrive: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil || resp.StatusCode != 200 || len(body) == 0 || resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("status %d, %d bytes, err %v", resp.StatusCode, len(body), err)
	}
}

func TestFaultBodies(t *testing.T) {
	e := newEnv(t, Options{})
	_, whole := e.get(t, jobPath("sfs-turbo", "sfs-turbo-success"))
	for _, kind := range []FaultKind{FaultTruncate, FaultMalformed, FaultWrongShape} {
		mustInject(t, e.srv, Fault{Service: "sfs-turbo", Kind: kind})
		resp, body := e.get(t, jobPath("sfs-turbo", "sfs-turbo-success"))
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", kind, resp.StatusCode)
		}
		switch kind {
		case FaultTruncate:
			if json.Valid(body) || len(body) != len(whole)/2 || !bytes.HasPrefix(whole, body) {
				t.Errorf("truncate: %s", body)
			}
		case FaultMalformed:
			if json.Valid(body) || !strings.HasPrefix(string(body), "<html>") {
				t.Errorf("malformed: %s", body)
			}
		case FaultWrongShape:
			if !json.Valid(body) || strings.Contains(string(body), "status") {
				t.Errorf("wrong_shape: %s", body)
			}
		}
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, Options{RateLimit: RateLimit{RPS: 1, Burst: 2}})
	var codes []int
	for i := 0; i < 3; i++ {
		resp, body := e.get(t, jobPath("ecs", "ecs-success"))
		codes = append(codes, resp.StatusCode)
		if resp.StatusCode == 429 {
			m := decodeJSON(t, body)
			if m["error_code"] != "APIGW.0308" || resp.Header.Get("Retry-After") != "1" ||
				!strings.Contains(str(m, "error_msg"), "over ratelimit,limit:1,time:1 second") {
				t.Errorf("429: %v %s", resp.Header, body)
			}
		}
	}
	if codes[0] != 200 || codes[1] != 200 || codes[2] != 429 {
		t.Errorf("codes %v", codes)
	}
	if status, _ := e.admin(t, http.MethodPost, "ratelimit", RateLimit{}); status != 200 {
		t.Errorf("admin ratelimit: %d", status)
	}
	if resp, _ := e.get(t, jobPath("ecs", "ecs-success")); resp.StatusCode != 200 {
		t.Errorf("limit off: %d", resp.StatusCode)
	}
}

func mustInject(t *testing.T, s *Server, f Fault) {
	t.Helper()
	if err := s.InjectFault(f); err != nil {
		t.Fatal(err)
	}
}
