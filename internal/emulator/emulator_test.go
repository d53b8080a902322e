package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

func TestSeedJobsServedByteForByte(t *testing.T) {
	e := newEnv(t, Options{})
	for _, svc := range service.All() {
		for _, seed := range svc.Seeds() {
			id, err := seedID(svc, seed.Body)
			if err != nil {
				t.Fatalf("%s: %v", seed.File, err)
			}
			resp, got := e.get(t, jobPath(svc.Name, id))
			if resp.StatusCode != http.StatusOK || !bytes.Equal(got, seed.Body) {
				t.Errorf("%s: status %d, body\n%s\nwant\n%s", seed.File, resp.StatusCode, got, seed.Body)
			}
		}
	}
	// ELB's request example shows another job id in its URL.
	if resp, _ := e.get(t, jobPath("elb", "37d5c1fd-fa57-4c6d-bdcd-d523095c05e8")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("ELB URL id: status %d, want 404", resp.StatusCode)
	}
}

// jobView is a rendered job read back through its description's roles.
type jobView struct {
	svc     *service.Service
	fields  []service.Field
	top     map[string]any // the job object (ELB: body["job"])
	subs    []any
	hasSubs bool
}

func viewOf(t *testing.T, svc *service.Service, body []byte) jobView {
	t.Helper()
	m := decodeJSON(t, body)
	if svc.Envelope != "" {
		job, ok := m[svc.Envelope].(map[string]any)
		if !ok {
			t.Fatalf("%s body without a %q object: %s", svc.Name, svc.Envelope, body)
		}
		m = job
	}
	return subView(svc, svc.Fields, m)
}

func subView(svc *service.Service, fields []service.Field, m map[string]any) jobView {
	v := jobView{svc: svc, fields: fields, top: m}
	if p := service.RolePath(fields, service.SubJobs); p != nil {
		v.subs, v.hasSubs = v.at(p).([]any)
	}
	return v
}

// at follows a field path from the job object.
func (v jobView) at(p []service.Field) any {
	var x any = v.top
	for _, f := range p {
		x = lookup(x, f.Key)
	}
	return x
}

// role returns the string of role r, "" when absent, null or not a string.
func (v jobView) role(r service.Role) string {
	s, _ := v.at(service.RolePath(v.fields, r)).(string)
	return s
}

// has tells whether the service has a field of role r (CCE has no error
// code and no end time).
func (v jobView) has(r service.Role) bool { return service.RolePath(v.fields, r) != nil }

func (v jobView) sub(i int) jobView {
	p := service.RolePath(v.fields, service.SubJobs)
	m, _ := v.subs[i].(map[string]any)
	return subView(v.svc, p[len(p)-1].Fields, m)
}

func parseServiceTime(t *testing.T, svc *service.Service, s string) (time.Time, int) {
	t.Helper()
	for i, l := range svc.TimeLayouts {
		if tm, err := time.Parse(l, s); err == nil {
			return tm, i
		}
	}
	t.Fatalf("%s time %q in none of its formats", svc.Name, s)
	return time.Time{}, 0
}

func TestFixedJobs(t *testing.T) {
	e := newEnv(t, Options{})
	for _, svc := range service.All() {
		layouts := map[int]bool{}
		for _, sp := range svc.Statuses {
			id := FixedJobID(svc, sp.Status)
			resp, body := e.get(t, jobPath(svc.Name, id))
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d", id, resp.StatusCode)
				continue
			}
			v := viewOf(t, svc, body)
			if v.role(service.Status) != sp.Status || v.role(service.ID) != id || v.role(service.Type) == "" {
				t.Errorf("%s: %s", id, body)
			}
			_, l := parseServiceTime(t, svc, v.role(service.Begin))
			layouts[l] = true
			if end := v.role(service.End); v.has(service.End) && sp.Phase.Finished() != (end != "") {
				t.Errorf("%s: end time %q", id, end)
			}
			if len(v.subs) != 2 {
				t.Fatalf("%s: %d sub-jobs, want 2", id, len(v.subs))
			}
			failedSubs := 0
			for i := range v.subs {
				sub := v.sub(i)
				parseServiceTime(t, svc, sub.role(service.Begin))
				if svc.PhaseOf(sub.role(service.Status)) == service.Failed {
					failedSubs++
					if (sub.has(service.Code) && sub.role(service.Code) == "") || sub.role(service.Reason) == "" {
						t.Errorf("%s: failed sub-job without error: %v", id, sub.top)
					}
				}
			}
			if sp.Phase == service.Failed {
				if (v.has(service.Code) && v.role(service.Code) == "") || v.role(service.Reason) == "" || failedSubs != 1 {
					t.Errorf("%s: failed job: %s", id, body)
				}
			} else if v.role(service.Code) != "" || failedSubs != 0 {
				t.Errorf("%s: error fields on a job that did not fail: %s", id, body)
			}
			if p := service.RolePath(svc.Fields, service.Project); p != nil && v.role(service.Project) != DefaultProjectID {
				t.Errorf("%s: the job's project is not the request's: %s", id, body)
			}
			if p := service.RolePath(svc.Fields, service.SubJobCount); p != nil && v.at(p) != 2.0 {
				t.Errorf("%s: sub-job count %v", id, v.at(p))
			}
			if svc.RequestIDKey != "" && decodeJSON(t, body)[svc.RequestIDKey] != resp.Header.Get("X-Request-Id") {
				t.Errorf("%s: the body's request id is not the header's: %s", id, body)
			}
		}
		if len(layouts) != len(svc.TimeLayouts) {
			t.Errorf("%s: fixed jobs write %d of the service's %d time formats", svc.Name, len(layouts), len(svc.TimeLayouts))
		}
	}
}

func TestSpecialJobs(t *testing.T) {
	e := newEnv(t, Options{})
	for _, svc := range service.All() {
		_, body := e.get(t, jobPath(svc.Name, FixedJobID(svc, JobUndocumented)))
		if v := viewOf(t, svc, body); v.role(service.Status) != "PAUSED" || v.role(service.End) != "" {
			t.Errorf("%s undocumented: %s", svc.Name, body)
		}

		resp, body := e.get(t, jobPath(svc.Name, FixedJobID(svc, JobMalformed)))
		if resp.StatusCode != http.StatusOK || json.Valid(body) || len(body) < 10 {
			t.Errorf("%s malformed: %d %s", svc.Name, resp.StatusCode, body)
		}

		resp, body = e.get(t, jobPath(svc.Name, FixedJobID(svc, JobWrongShape)))
		m := decodeJSON(t, body)
		if _, hasJob := m["job"]; resp.StatusCode != http.StatusOK || hasJob || m["status"] != nil {
			t.Errorf("%s wrong-shape: %s", svc.Name, body)
		}

		_, body = e.get(t, jobPath(svc.Name, FixedJobID(svc, JobNulls)))
		v := viewOf(t, svc, body)
		for _, r := range []service.Role{service.Type, service.Begin, service.Code, service.Reason} {
			p := service.RolePath(svc.Fields, r)
			if p == nil {
				continue // a field the service does not have
			}
			if val := v.at(p); val != nil && val != "" {
				t.Errorf("%s nulls: %s = %v", svc.Name, p[len(p)-1].Key, val)
			}
		}
		if v.hasSubs || v.role(service.Status) == "" || v.role(service.ID) == "" {
			t.Errorf("%s nulls: %s", svc.Name, body)
		}

		_, body = e.get(t, jobPath(svc.Name, FixedJobID(svc, JobEmptySubJobs)))
		if v := viewOf(t, svc, body); !v.hasSubs || len(v.subs) != 0 {
			t.Errorf("%s empty-subjobs: %s", svc.Name, body)
		}
	}
}

func TestNotFoundBodies(t *testing.T) {
	e := newEnv(t, Options{})
	want := map[string]string{
		"ecs":       `{"code":"Ecs.0114","message":"Job [no\"pe] is not found."}`,
		"sdrs":      `{"error":{"code":"SDRS.1301","message":"The job does not exist."}}`,
		"sfs_turbo": "{\n  \"errCode\" : \"SFS.TURBO.0001\",\n  \"errMsg\" : \"parameter error\"\n}",
	}
	for _, svc := range service.All() {
		resp, body := e.get(t, jobPath(svc.Name, `no"pe`))
		if resp.StatusCode != http.StatusNotFound || !json.Valid(body) {
			t.Errorf("%s: status %d, body %s", svc.Name, resp.StatusCode, body)
		}
		w, ok := want[svc.Name]
		if svc.Name == "elb" {
			w, ok = `{"error_msg":"Job no\"pe could not be found.","error_code":"ELB.8902","request_id":"`+resp.Header.Get("X-Request-Id")+`"}`, true
		}
		if ok && string(body) != w {
			t.Errorf("%s 404 body %s, want %s", svc.Name, body, w)
		}
	}
	resp, body := e.get(t, "/ecs/v2/x/jobs/y")
	if resp.StatusCode != http.StatusNotFound || decodeJSON(t, body)["error_code"] != "APIGW.0101" {
		t.Errorf("unknown API: %d %s", resp.StatusCode, body)
	}
}

func TestIAMProjects(t *testing.T) {
	e := newEnv(t, Options{})
	count := map[string]int{DefaultRegion: 1, DevProjectName: 1, AmbiguousRegion: 2, "xx-nowhere-1": 0}
	for region, n := range count {
		resp, body := e.get(t, "/iam/v3/projects?name="+region)
		var out struct {
			Projects []struct {
				ID, Name, DomainID string
				Enabled            bool
			} `json:"projects"`
			Links map[string]any `json:"links"`
		}
		if err := json.Unmarshal(body, &out); err != nil || resp.StatusCode != 200 || len(out.Projects) != n || out.Projects == nil {
			t.Errorf("%s: %d %s", region, resp.StatusCode, body)
			continue
		}
		for _, p := range out.Projects {
			if p.Name != region || !p.Enabled || p.ID == "" {
				t.Errorf("%s: project %+v", region, p)
			}
		}
		if region == DefaultRegion && out.Projects[0].ID != DefaultProjectID {
			t.Errorf("default project %s", out.Projects[0].ID)
		}
	}
	if c := e.srv.Counters(); c.IAMCalls != len(count) {
		t.Errorf("IAM calls %d, want %d", c.IAMCalls, len(count))
	}
}

func TestCounters(t *testing.T) {
	e := newEnv(t, Options{})
	e.get(t, jobPath("ecs", "ecs-success"))
	e.get(t, jobPath("ecs", "ecs-success"))
	e.get(t, "/ecs/v1/p1/jobs/a%2Fb%20c")
	e.get(t, jobPath("sfs-turbo", "missing"))
	e.get(t, "/iam/v3/projects?name=cn-north-4")
	e.admin(t, http.MethodGet, "counters", nil) // not counted

	c := e.srv.Counters()
	if c.Requests != 5 || c.JobReads("ecs", "ecs-success") != 2 || c.JobReads("ecs", "a/b c") != 1 ||
		c.JobReads("sfs_turbo", "missing") != 1 || c.IAMCalls != 1 {
		t.Errorf("counters %+v", c)
	}
	if c.Paths[jobPath("ecs", "ecs-success")] != 2 || c.Statuses[200] != 3 || c.Statuses[404] != 2 || c.Projects["p1"] != 1 {
		t.Errorf("paths %v statuses %v projects %v", c.Paths, c.Statuses, c.Projects)
	}
	if len(c.RawRequests) != 5 || c.RawRequests[2].EscapedPath != "/ecs/v1/p1/jobs/a%2Fb%20c" ||
		c.RawRequests[4].RequestURI != "/iam/v3/projects?name=cn-north-4" {
		t.Errorf("raw requests %+v", c.RawRequests)
	}

	status, body := e.admin(t, http.MethodGet, "counters", nil)
	var viaAdmin Counters
	if err := json.Unmarshal(body, &viaAdmin); err != nil || status != 200 || viaAdmin.Requests != 5 {
		t.Errorf("admin counters: %d %s", status, body)
	}
	c.Paths["mutated"] = 1 // a copy
	e.srv.ResetCounters()
	if c := e.srv.Counters(); c.Requests != 0 || len(c.Paths) != 0 || len(c.RawRequests) != 0 {
		t.Errorf("after reset: %+v", c)
	}
	if status, _ := e.admin(t, http.MethodDelete, "counters", nil); status != http.StatusNoContent {
		t.Errorf("DELETE counters: %d", status)
	}
}

func TestListenAndServe(t *testing.T) {
	srv := New(Options{})
	if _, _, err := srv.ListenAndServe(context.Background(), "0.0.0.0:0"); err == nil {
		t.Fatal("listening on 0.0.0.0 was allowed")
	}
	ctx, cancel := context.WithCancel(context.Background())
	url, done, err := srv.ListenAndServe(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("url %s", url)
	}
	req, _ := http.NewRequest(http.MethodGet, url+jobPath("sdrs", "sdrs-running"), nil)
	req.Header.Set("X-Auth-Token", DemoAuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("server did not stop")
	}
}
