package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestSeedJobsServedByteForByte(t *testing.T) {
	e := newEnv(t, Options{})
	files := map[string]string{"ecs": "ecs.json", "elb": "elb.json", "sdrs": "sdrs.json", "sfs-turbo": "sfs_turbo.json"}
	for service, file := range files {
		want, err := os.ReadFile("seeds/" + file)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(want) {
			t.Errorf("seeds/%s is not valid JSON", file)
		}
		resp, got := e.get(t, jobPath(service, SeedJobIDs[service]))
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, want) {
			t.Errorf("%s seed: status %d, body\n%s\nwant\n%s", service, resp.StatusCode, got, want)
		}
	}
	// ELB's request example shows another job id in its URL.
	if resp, _ := e.get(t, jobPath("elb", "37d5c1fd-fa57-4c6d-bdcd-d523095c05e8")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("ELB URL id: status %d, want 404", resp.StatusCode)
	}
}

// fixedStatuses lists every documented status of each service.
var fixedStatuses = map[string][]string{
	"ecs":       {"INIT", "PENDING_PAYMENT", "RUNNING", "SUCCESS", "FAIL"},
	"elb":       {"INIT", "RUNNING", "ROLLBACKING", "SUCCESS", "COMPLETE", "FAIL", "ROLLBACK_FAIL", "CANCEL"},
	"sdrs":      {"INIT", "RUNNING", "SUCCESS", "FAIL"},
	"sfs-turbo": {"waiting", "running", "success", "failed"},
}

var finalStatuses = map[string]bool{"SUCCESS": true, "COMPLETE": true, "FAIL": true, "ROLLBACK_FAIL": true, "CANCEL": true, "success": true, "failed": true}
var failedStatuses = map[string]bool{"FAIL": true, "ROLLBACK_FAIL": true, "CANCEL": true, "failed": true}

// jobView pulls the common fields out of any service's body.
type jobView struct {
	top     map[string]any // the job object (ELB: body["job"])
	subs    []any
	hasSubs bool
}

func viewOf(t *testing.T, service string, body []byte) jobView {
	t.Helper()
	m := decodeJSON(t, body)
	v := jobView{top: m}
	switch service {
	case "elb":
		job, ok := m["job"].(map[string]any)
		if !ok {
			t.Fatalf("ELB body without a job object: %s", body)
		}
		v.top = job
		v.subs, v.hasSubs = job["sub_jobs"].([]any)
	case "ecs", "sdrs":
		ent, ok := m["entities"].(map[string]any)
		if !ok {
			t.Fatalf("%s body without entities: %s", service, body)
		}
		v.subs, v.hasSubs = ent["sub_jobs"].([]any)
	case "sfs-turbo":
		v.subs, v.hasSubs = m["sub_jobs"].([]any)
	}
	return v
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

func parseServiceTime(t *testing.T, service, s string) time.Time {
	t.Helper()
	layouts := map[string][]string{
		"ecs":       {"2006-01-02T15:04:05.000Z"},
		"elb":       {"2006-01-02T15:04:05Z"},
		"sdrs":      {"2006-01-02T15:04:05.000Z", "2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05.000-07:00"},
		"sfs-turbo": {"2006-01-02 15:04:05"},
	}[service]
	for _, l := range layouts {
		if tm, err := time.Parse(l, s); err == nil {
			return tm
		}
	}
	t.Fatalf("%s time %q in none of its formats", service, s)
	return time.Time{}
}

func TestFixedJobs(t *testing.T) {
	e := newEnv(t, Options{})
	errorField := map[string]string{"ecs": "fail_reason", "elb": "error_msg", "sdrs": "fail_reason", "sfs-turbo": "fail_reason"}
	sdrsFormats := map[string]bool{}
	for service, statuses := range fixedStatuses {
		for _, status := range statuses {
			id := FixedJobID(service, status)
			resp, body := e.get(t, jobPath(service, id))
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d", id, resp.StatusCode)
				continue
			}
			v := viewOf(t, service, body)
			if str(v.top, "status") != status || str(v.top, "job_id") != id || str(v.top, "job_type") == "" {
				t.Errorf("%s: %s", id, body)
			}
			parseServiceTime(t, service, str(v.top, "begin_time"))
			if end := str(v.top, "end_time"); finalStatuses[status] != (end != "") {
				t.Errorf("%s: end_time %q", id, end)
			} else if end != "" {
				parseServiceTime(t, service, end)
				if service == "sdrs" {
					for _, suffix := range []string{"Z", "+0800", "+08:00"} {
						if strings.HasSuffix(end, suffix) {
							sdrsFormats[suffix] = true
						}
					}
				}
			}
			if len(v.subs) != 2 {
				t.Fatalf("%s: %d sub-jobs, want 2", id, len(v.subs))
			}
			failedSubs := 0
			for _, s := range v.subs {
				sub := s.(map[string]any)
				parseServiceTime(t, service, str(sub, "begin_time"))
				if failedStatuses[str(sub, "status")] {
					failedSubs++
					if str(sub, "error_code") == "" || str(sub, errorField[service]) == "" {
						t.Errorf("%s: failed sub-job without error: %v", id, sub)
					}
					if service == "ecs" && str(sub["entities"].(map[string]any), "errorcode_message") == "" {
						t.Errorf("%s: failed ECS sub-job without errorcode_message", id)
					}
				}
				if service == "elb" {
					ents, _ := sub["entities"].([]any)
					if len(ents) != 1 || str(ents[0].(map[string]any), "resource_type") != "loadbalancer" {
						t.Errorf("%s: ELB sub-job entities %v", id, sub["entities"])
					}
				}
			}
			if failedStatuses[status] {
				if str(v.top, "error_code") == "" || str(v.top, errorField[service]) == "" || failedSubs != 1 {
					t.Errorf("%s: failed job: %s", id, body)
				}
			} else if str(v.top, "error_code") != "" || failedSubs != 0 {
				t.Errorf("%s: error fields on a job that did not fail: %s", id, body)
			}
			if service == "elb" {
				m := decodeJSON(t, body)
				if m["request_id"] != resp.Header.Get("X-Request-Id") || str(v.top, "project_id") != DefaultProjectID {
					t.Errorf("%s: request_id/project_id: %s", id, body)
				}
			}
			if service == "ecs" {
				ent := decodeJSON(t, body)["entities"].(map[string]any)
				if ent["sub_jobs_total"] != 2.0 {
					t.Errorf("%s: sub_jobs_total %v", id, ent["sub_jobs_total"])
				}
			}
		}
	}
	if !sdrsFormats["+08:00"] || !sdrsFormats["+0800"] {
		t.Errorf("SDRS offsets seen: %v", sdrsFormats)
	}
}

func TestSpecialJobs(t *testing.T) {
	e := newEnv(t, Options{})
	for _, service := range ServiceNames() {
		_, body := e.get(t, jobPath(service, FixedJobID(service, JobUndocumented)))
		if v := viewOf(t, service, body); str(v.top, "status") != "PAUSED" || str(v.top, "end_time") != "" {
			t.Errorf("%s undocumented: %s", service, body)
		}

		resp, body := e.get(t, jobPath(service, FixedJobID(service, JobMalformed)))
		if resp.StatusCode != http.StatusOK || json.Valid(body) || len(body) < 10 {
			t.Errorf("%s malformed: %d %s", service, resp.StatusCode, body)
		}

		resp, body = e.get(t, jobPath(service, FixedJobID(service, JobWrongShape)))
		m := decodeJSON(t, body)
		if _, hasJob := m["job"]; resp.StatusCode != http.StatusOK || hasJob || m["status"] != nil {
			t.Errorf("%s wrong-shape: %s", service, body)
		}

		_, body = e.get(t, jobPath(service, FixedJobID(service, JobNulls)))
		v := viewOf(t, service, body)
		for _, k := range []string{"job_type", "begin_time", "end_time", "error_code"} {
			if val, present := v.top[k]; !present || (val != nil && val != "") {
				t.Errorf("%s nulls: %s = %v", service, k, val)
			}
		}
		if subs, present := v.top["sub_jobs"]; (service == "elb" || service == "sfs-turbo") && (!present || subs != nil) {
			t.Errorf("%s nulls: sub_jobs %v", service, subs)
		}
		if v.hasSubs {
			t.Errorf("%s nulls: has a sub_jobs list", service)
		}

		_, body = e.get(t, jobPath(service, FixedJobID(service, JobEmptySubJobs)))
		if v := viewOf(t, service, body); !v.hasSubs || len(v.subs) != 0 || !strings.Contains(string(body), `"sub_jobs":[]`) {
			t.Errorf("%s empty-subjobs: %s", service, body)
		}
	}
}

func TestNotFoundBodies(t *testing.T) {
	e := newEnv(t, Options{})
	want := map[string]string{
		"ecs":       `{"code":"Ecs.0114","message":"Job [nope] is not found."}`,
		"sdrs":      `{"error":{"code":"SDRS.1301","message":"The job does not exist."}}`,
		"sfs-turbo": "{\n  \"errCode\" : \"SFS.TURBO.0001\",\n  \"errMsg\" : \"parameter error\"\n}",
	}
	for _, service := range ServiceNames() {
		resp, body := e.get(t, jobPath(service, "nope"))
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d", service, resp.StatusCode)
		}
		w := want[service]
		if service == "elb" {
			w = `{"error_msg":"Job nope could not be found.","error_code":"ELB.8902","request_id":"` + resp.Header.Get("X-Request-Id") + `"}`
		}
		if string(body) != w {
			t.Errorf("%s 404 body %s, want %s", service, body, w)
		}
	}
	resp, body := e.get(t, "/ecs/v2/x/jobs/y")
	if resp.StatusCode != http.StatusNotFound || decodeJSON(t, body)["error_code"] != "APIGW.0101" {
		t.Errorf("unknown API: %d %s", resp.StatusCode, body)
	}
}

func TestIAMProjects(t *testing.T) {
	e := newEnv(t, Options{})
	count := map[string]int{DefaultRegion: 1, SubProjectName: 1, AmbiguousRegion: 2, "xx-nowhere-1": 0}
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
		c.JobReads("sfs-turbo", "missing") != 1 || c.IAMCalls != 1 {
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
