package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// Each service's own handler serves its path at the root, signed as the
// client sent it, and shares the job table and counters with the prefixed
// one; another service's path, or a prefixed one, is no API there.
func TestHandlerServesOneServiceWithoutPrefix(t *testing.T) {
	e := newEnv(t, Options{})
	for _, svc := range service.All() {
		h, err := e.srv.Handler(svc.Host)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(h)
		own := &env{srv: e.srv, ts: ts, clock: e.clock, client: e.client}
		path := strings.TrimPrefix(jobPath(svc.Name, FixedJobID(svc, svc.StatusIn(service.Running))), "/"+svc.Host)
		if resp, body := own.get(t, path); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), svc.StatusIn(service.Running)) {
			t.Errorf("%s GET %s: %d %s", svc.Name, path, resp.StatusCode, body)
		}
		if resp, body := own.get(t, "/"+svc.Host+path); resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "APIGW.0101") {
			t.Errorf("%s prefixed path on its own port: %d %s", svc.Name, resp.StatusCode, body)
		}
		if resp, _ := own.get(t, "/v3/projects"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s port answers IAM: %d", svc.Name, resp.StatusCode)
		}
		ts.Close()
	}
	iam, err := e.srv.Handler(IAMName)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(iam)
	defer ts.Close()
	own := &env{srv: e.srv, ts: ts, clock: e.clock, client: e.client}
	resp, body := own.get(t, "/v3/projects?name="+DefaultRegion)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), DefaultProjectID) || !strings.Contains(string(body), ts.URL+"/v3/projects/") {
		t.Errorf("IAM port: %d %s", resp.StatusCode, body)
	}
	if _, err := e.srv.Handler("nope"); err == nil || !strings.Contains(err.Error(), `unknown service "nope"`) {
		t.Errorf("Handler(nope): %v", err)
	}
	c := e.srv.Counters()
	if c.IAMCalls != 1 || c.Requests != 3*len(service.All())+1 {
		t.Errorf("shared counters: %d requests, %d IAM calls", c.Requests, c.IAMCalls)
	}
}

func TestListenPerService(t *testing.T) {
	srv := New(Options{})
	ctx, cancel := context.WithCancel(context.Background())
	eps, done, err := srv.ListenPerService(ctx, "", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(eps) != len(service.All())+1 || eps[0].Name != IAMName {
		t.Fatalf("endpoints %v: want IAM then every service", eps)
	}
	for i, svc := range service.All() {
		if eps[i+1].Name != svc.Name || !strings.HasPrefix(eps[i+1].URL, "http://127.0.0.1:") {
			t.Errorf("endpoint %d: %+v, want %s on 127.0.0.1", i+1, eps[i+1], svc.Name)
		}
	}
	if _, _, err := srv.ListenPerService(ctx, "10.1.2.3", 0, nil); err == nil || !strings.Contains(err.Error(), "only loopback") {
		t.Errorf("non-loopback host: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the listeners did not stop")
	}
}

// GET /_emulator/ lists every admin route and the services' statuses;
// every route it lists answers something other than "no admin route".
func TestAdminIndex(t *testing.T) {
	e := newEnv(t, Options{})
	for _, p := range []string{"", "/"} {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/_emulator"+p, nil)
		resp, body := e.do(t, req)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"path":"/_emulator/jobs"`) || !strings.Contains(string(body), `"phase":"pending"`) {
			t.Fatalf("GET /_emulator%s: %d %s", p, resp.StatusCode, body)
		}
	}
	for _, r := range AdminRoutes() {
		if r.Method == http.MethodDelete {
			continue
		}
		req, _ := http.NewRequest(r.Method, e.ts.URL+r.Path, strings.NewReader("{}"))
		_, body := e.do(t, req)
		if strings.Contains(string(body), "no admin route") {
			t.Errorf("%s %s is listed but not served: %s", r.Method, r.Path, body)
		}
	}
}

func TestFailJob(t *testing.T) {
	e := newEnv(t, Options{})
	id, err := e.srv.CreateJob(JobSpec{Service: "elb", SubJobs: []SubJobSpec{{Timeline: []Step{{"SUCCESS", 0}}}, {}}})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(1500 * time.Millisecond)
	code, body := e.admin(t, http.MethodPost, "fail", map[string]string{"service": "elb", "job_id": id, "error_code": "ELB.9", "fail_reason": "made to fail"})
	if code != http.StatusOK || !strings.Contains(string(body), `"FAIL"`) {
		t.Fatalf("fail: %d %s", code, body)
	}
	_, body = e.get(t, jobPath("elb", id))
	job := decodeJSON(t, body)["job"].(map[string]any)
	subs := job["sub_jobs"].([]any)
	if str(job, "status") != "FAIL" || str(job, "error_code") != "ELB.9" || str(job, "error_msg") != "made to fail" ||
		str(subs[0].(map[string]any), "status") != "SUCCESS" || str(subs[1].(map[string]any), "status") != "FAIL" {
		t.Errorf("after fail: %s", body)
	}
	for _, tc := range []struct {
		req  map[string]string
		code int
		want string
	}{
		{map[string]string{"service": "elb", "job_id": id}, http.StatusConflict, "already finished"},
		{map[string]string{"service": "elb", "job_id": FixedJobID(service.ELB, "RUNNING")}, http.StatusConflict, "never changes"},
		{map[string]string{"service": "elb", "job_id": "nope"}, http.StatusNotFound, "no such job"},
		{map[string]string{"service": "nope", "job_id": id}, http.StatusBadRequest, `unknown service \"nope\"`},
		{map[string]string{"service": "elb", "job": id}, http.StatusBadRequest, `unknown field \"job\"`},
	} {
		if code, body := e.admin(t, http.MethodPost, "fail", tc.req); code != tc.code || !strings.Contains(string(body), tc.want) {
			t.Errorf("fail %v: %d %s, want %d %q", tc.req, code, body, tc.code, tc.want)
		}
	}
}

// Bad job specs are refused with a message that names the problem.
func TestBadJobSpecs(t *testing.T) {
	e := newEnv(t, Options{})
	for body, want := range map[string]string{
		`{"service":"nope"}`: `unknown service \"nope\"`,
		`{"service":"ecs","timeline":[{"status":"INIT","after":"-1s"}]}`:  "negative duration",
		`{"service":"ecs","timeline":[{"status":"INIT","after":"soon"}]}`: `invalid duration \"soon\"`,
		`{"service":"ecs",`:                   "unexpected EOF",
		`{"service":"ecs","timelines":[]}`:    `unknown field \"timelines\"`,
		`[]`:                                  "an empty list",
		``:                                    "empty body",
		`{"service":"ecs"} {"service":"ecs"}`: "data after",
	} {
		req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/_emulator/jobs", strings.NewReader(body))
		resp, out := e.do(t, req)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(out), want) {
			t.Errorf("POST jobs %s: %d %s, want 400 %q", body, resp.StatusCode, out, want)
		}
	}
	if code, body := e.admin(t, http.MethodPost, "clock", map[string]string{"advance": "-5s"}); code != http.StatusBadRequest || !strings.Contains(string(body), "negative") {
		t.Errorf("negative advance: %d %s", code, body)
	}
}

// IAM's own port answers assume_role at its path without prefix, and deny
// rules, written with the shared port's prefixed paths, match a service's
// own port too.
func TestPerServicePortsShareAccountRoutes(t *testing.T) {
	e := newEnv(t, Options{})
	iam, err := e.srv.Handler(IAMName)
	if err != nil {
		t.Fatal(err)
	}
	its := httptest.NewServer(iam)
	defer its.Close()
	own := &env{srv: e.srv, ts: its, clock: e.clock, client: e.client}
	resp, body := own.post(t, strings.TrimPrefix(tokensPath, "/iam"), assumeRoleBody(DemoAgencyName, DemoAgencyDomain, 900), DemoAccessKey, DemoSecretKey, "", time.Now())
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		t.Fatalf("assume_role on IAM's port: %d %s", resp.StatusCode, body)
	}

	e.srv.Deny(DenyRule{PathPrefix: "/elb/"})
	h, _ := e.srv.Handler("elb")
	ets := httptest.NewServer(h)
	defer ets.Close()
	elb := &env{srv: e.srv, ts: ets, clock: e.clock, client: e.client}
	path := strings.TrimPrefix(jobPath("elb", SeedJobID(service.ELB)), "/elb")
	if resp, body := elb.get(t, path); resp.StatusCode != http.StatusForbidden {
		t.Errorf("denied ELB path on its own port: %d %s", resp.StatusCode, body)
	}
}
