package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestTimedJobProgression(t *testing.T) {
	e := newEnv(t, Options{})
	id, err := e.srv.CreateJob(JobSpec{
		Service: "ecs",
		JobID:   "timed-1",
		SubJobs: []SubJobSpec{
			{JobType: "createSingleServer", Timeline: []Step{{"INIT", 0}, {"RUNNING", 500 * time.Millisecond}, {"SUCCESS", 2 * time.Second}}},
			{}, // follows the job
		},
	})
	if err != nil || id != "timed-1" {
		t.Fatalf("CreateJob: %q, %v", id, err)
	}
	type subView struct {
		Status  string  `json:"status"`
		Begin   string  `json:"begin_time"`
		End     *string `json:"end_time"`
		JobType string  `json:"job_type"`
	}
	read := func() (status string, begin string, end *string, subs []subView) {
		t.Helper()
		resp, body := e.get(t, jobPath("ecs", id))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		var out struct {
			Status   string
			Begin    string  `json:"begin_time"`
			End      *string `json:"end_time"`
			Entities struct {
				Total int       `json:"sub_jobs_total"`
				Subs  []subView `json:"sub_jobs"`
			}
		}
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		return out.Status, out.Begin, out.End, out.Entities.Subs
	}

	begin := testEpoch.Format("2006-01-02T15:04:05.000Z")
	steps := []struct {
		advance   time.Duration
		status    string
		end       string // "" = no end_time yet
		subStatus [2]string
		subEnd    [2]string
	}{
		{0, "INIT", "", [2]string{"INIT", "INIT"}, [2]string{}},
		{999 * time.Millisecond, "INIT", "", [2]string{"RUNNING", "INIT"}, [2]string{}},
		{time.Millisecond, "RUNNING", "", [2]string{"RUNNING", "RUNNING"}, [2]string{}},
		{time.Second, "RUNNING", "", [2]string{"SUCCESS", "RUNNING"}, [2]string{"2025-01-02T03:04:07.000Z", ""}},
		{time.Second, "SUCCESS", "2025-01-02T03:04:08.000Z", [2]string{"SUCCESS", "SUCCESS"}, [2]string{"2025-01-02T03:04:07.000Z", "2025-01-02T03:04:08.000Z"}},
		{time.Hour, "SUCCESS", "2025-01-02T03:04:08.000Z", [2]string{"SUCCESS", "SUCCESS"}, [2]string{"2025-01-02T03:04:07.000Z", "2025-01-02T03:04:08.000Z"}},
	}
	for i, st := range steps {
		e.clock.Advance(st.advance)
		status, b, end, subs := read()
		gotEnd := ""
		if end != nil {
			gotEnd = *end
		}
		if status != st.status || b != begin || gotEnd != st.end || len(subs) != 2 {
			t.Fatalf("step %d: status %s begin %s end %q subs %d", i, status, b, gotEnd, len(subs))
		}
		for j, sub := range subs {
			subEnd := ""
			if sub.End != nil {
				subEnd = *sub.End
			}
			if sub.Status != st.subStatus[j] || subEnd != st.subEnd[j] || sub.Begin != begin {
				t.Errorf("step %d sub-job %d: %+v, want %s ending %q", i, j, sub, st.subStatus[j], st.subEnd[j])
			}
		}
		if subs[1].JobType != "createSingleServer" {
			t.Errorf("default sub-job type %q", subs[1].JobType)
		}
	}
}

func TestTimedJobFailure(t *testing.T) {
	e := newEnv(t, Options{})
	_, err := e.srv.CreateJob(JobSpec{
		Service:   "elb",
		JobID:     "lb-upgrade",
		Timeline:  []Step{{"INIT", 0}, {"RUNNING", time.Second}, {"ROLLBACKING", 2 * time.Second}, {"ROLLBACK_FAIL", 4 * time.Second}},
		ErrorCode: "ELB.9999",
		ErrorMsg:  "rollback failed",
		SubJobs: []SubJobSpec{
			{JobType: "UPGRADE_INIT", Timeline: []Step{{"RUNNING", 0}, {"SUCCESS", time.Second}}},
			{JobType: "UPGRADE_TRAFFIC_SWITCH", Timeline: []Step{{"INIT", 0}, {"RUNNING", time.Second}, {"FAIL", 2 * time.Second}}, ErrorCode: "ELB.1111", ErrorMsg: "switch failed"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, body := e.get(t, jobPath("elb", "lb-upgrade"))
	v := viewOf(t, svcOf("elb"), body)
	if str(v.top, "status") != "INIT" || str(v.top, "error_code") != "" || str(v.top, "end_time") != "" {
		t.Errorf("at 0: %s", body)
	}
	e.clock.Advance(2 * time.Second)
	_, body = e.get(t, jobPath("elb", "lb-upgrade"))
	v = viewOf(t, svcOf("elb"), body)
	sub := v.subs[1].(map[string]any)
	if str(v.top, "status") != "ROLLBACKING" || str(v.top, "error_code") != "" ||
		str(sub, "status") != "FAIL" || str(sub, "error_msg") != "switch failed" || str(sub, "end_time") != "2025-01-02T03:04:07Z" {
		t.Errorf("at 2s: %s", body)
	}
	e.clock.Advance(2 * time.Second)
	_, body = e.get(t, jobPath("elb", "lb-upgrade"))
	v = viewOf(t, svcOf("elb"), body)
	if str(v.top, "status") != "ROLLBACK_FAIL" || str(v.top, "error_code") != "ELB.9999" ||
		str(v.top, "error_msg") != "rollback failed" || str(v.top, "end_time") != "2025-01-02T03:04:09Z" {
		t.Errorf("at 4s: %s", body)
	}
}

func TestTimedJobDefaultsAndValidation(t *testing.T) {
	e := newEnv(t, Options{})
	id, err := e.srv.CreateJob(JobSpec{Service: "sfs_turbo"})
	if err != nil || len(id) != 36 {
		t.Fatalf("default id %q, %v", id, err)
	}
	for _, st := range []struct {
		advance time.Duration
		want    string
	}{{0, "waiting"}, {time.Second, "running"}, {2 * time.Second, "success"}} {
		e.clock.Advance(st.advance)
		_, body := e.get(t, jobPath("sfs-turbo", id))
		if v := viewOf(t, svcOf("sfs-turbo"), body); str(v.top, "status") != st.want || str(v.top, "job_type") != "bind_ldap" {
			t.Errorf("after %s: %s", st.advance, body)
		}
	}
	_, body := e.get(t, jobPath("sfs-turbo", id))
	if v := viewOf(t, svcOf("sfs-turbo"), body); str(v.top, "end_time") != "2025-01-02 03:04:08" || str(v.top, "begin_time") != "2025-01-02 03:04:05" {
		t.Errorf("times: %s", body)
	}

	if _, err := e.srv.CreateJob(JobSpec{Service: "ecs", JobID: "ecs-success"}); !errors.Is(err, ErrJobExists) {
		t.Errorf("duplicate id: %v", err)
	}
	for name, spec := range map[string]JobSpec{
		"unknown service": {Service: "rds"},
		"slash in id":     {Service: "ecs", JobID: "a/b"},
		"out of order":    {Service: "ecs", Timeline: []Step{{"RUNNING", time.Second}, {"SUCCESS", 0}}},
		"empty status":    {Service: "ecs", Timeline: []Step{{"", 0}}},
	} {
		if _, err := e.srv.CreateJob(spec); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestTimedJobTTLAndExpire(t *testing.T) {
	e := newEnv(t, Options{TTL: time.Hour})
	id, _ := e.srv.CreateJob(JobSpec{Service: "sdrs", Timeline: []Step{{"RUNNING", 0}, {"FAIL", time.Second}}})
	e.clock.Advance(time.Second + time.Hour - time.Millisecond)
	if resp, body := e.get(t, jobPath("sdrs", id)); resp.StatusCode != 200 {
		t.Fatalf("before TTL: %d %s", resp.StatusCode, body)
	} else if v := viewOf(t, svcOf("sdrs"), body); str(v.top, "error_code") != "SDRS.1015" {
		t.Errorf("default failure: %s", body)
	}
	e.clock.Advance(time.Millisecond)
	if resp, _ := e.get(t, jobPath("sdrs", id)); resp.StatusCode != 404 {
		t.Errorf("after TTL: %d", resp.StatusCode)
	}
	// Fixed jobs never expire.
	if resp, _ := e.get(t, jobPath("sdrs", "sdrs-success")); resp.StatusCode != 200 {
		t.Errorf("fixed job after a long time: %d", resp.StatusCode)
	}

	// A running job never expires; Expire forgets it at once.
	id, _ = e.srv.CreateJob(JobSpec{Service: "ecs", Timeline: []Step{{"RUNNING", 0}}})
	e.clock.Advance(1000 * time.Hour)
	if resp, _ := e.get(t, jobPath("ecs", id)); resp.StatusCode != 200 {
		t.Errorf("running job: %d", resp.StatusCode)
	}
	if !e.srv.Expire("ecs", id) || e.srv.Expire("ecs", id) {
		t.Error("Expire did not report the job once")
	}
	if resp, _ := e.get(t, jobPath("ecs", id)); resp.StatusCode != 404 {
		t.Errorf("expired job: %d", resp.StatusCode)
	}
	if status, _ := e.admin(t, http.MethodPost, "expire", map[string]string{"service": "ecs", "job_id": "ecs-init"}); status != http.StatusNoContent {
		t.Errorf("admin expire: %d", status)
	}
	if resp, _ := e.get(t, jobPath("ecs", "ecs-init")); resp.StatusCode != 404 {
		t.Errorf("admin-expired job: %d", resp.StatusCode)
	}
}

func TestNotFoundReads(t *testing.T) {
	e := newEnv(t, Options{})
	id, _ := e.srv.CreateJob(JobSpec{Service: "elb", NotFoundReads: 2})
	for i, want := range []int{404, 404, 200, 200} {
		resp, body := e.get(t, jobPath("elb", id))
		if resp.StatusCode != want {
			t.Errorf("read %d: %d %s", i, resp.StatusCode, body)
		}
		if want == 404 && decodeJSON(t, body)["error_code"] != "ELB.8902" {
			t.Errorf("read %d: %s", i, body)
		}
	}
}

func TestAdminJobsAndClock(t *testing.T) {
	e := newEnv(t, Options{})
	status, body := e.admin(t, http.MethodPost, "jobs", map[string]any{
		"service": "ecs", "job_id": "via-admin",
		"timeline": []map[string]any{{"status": "PENDING_PAYMENT", "after": "0s"}, {"status": "RUNNING", "after": "10s"}, {"status": "SUCCESS", "after": 20}},
	})
	if status != http.StatusCreated || decodeJSON(t, body)["job_id"] != "via-admin" {
		t.Fatalf("create: %d %s", status, body)
	}
	if status, _ := e.admin(t, http.MethodPost, "jobs", map[string]any{"service": "ecs", "job_id": "via-admin"}); status != http.StatusConflict {
		t.Errorf("duplicate: %d", status)
	}
	if status, _ := e.admin(t, http.MethodPost, "jobs", map[string]any{"service": "nope"}); status != http.StatusBadRequest {
		t.Errorf("bad spec: %d", status)
	}
	for _, st := range []struct{ advance, want string }{{"0s", "PENDING_PAYMENT"}, {"10s", "RUNNING"}, {"10s", "SUCCESS"}} {
		if status, body := e.admin(t, http.MethodPost, "clock", map[string]string{"advance": st.advance}); status != 200 {
			t.Fatalf("clock: %d %s", status, body)
		}
		_, body := e.get(t, jobPath("ecs", "via-admin"))
		if got := decodeJSON(t, body)["status"]; got != st.want {
			t.Errorf("after +%s: %v", st.advance, got)
		}
	}
	status, body = e.admin(t, http.MethodGet, "jobs", nil)
	if status != 200 || !json.Valid(body) {
		t.Errorf("list: %d", status)
	}

	rec := newEnvFor(t, New(Options{}))
	if status, _ := rec.admin(t, http.MethodPost, "clock", map[string]string{"advance": "1s"}); status != http.StatusConflict {
		t.Errorf("advancing a real clock: %d", status)
	}
}

func newEnvFor(t *testing.T, srv *Server) *env {
	e := newEnv(t, Options{})
	e.srv = srv
	e.ts.Config.Handler = srv
	return e
}

func TestScaledClock(t *testing.T) {
	c := NewScaledClock(1000)
	start := c.Now()
	time.Sleep(10 * time.Millisecond)
	if d := c.Now().Sub(start); d < 10*time.Second {
		t.Errorf("scaled clock advanced %s in 10ms, want >= 10s", d)
	}
}
