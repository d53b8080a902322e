package jobs_test

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/testsupport"
)

// flatten writes every field of the table (phases included) as path=value,
// null as <null>, so a test compares a whole job at once.
func flatten(fields []service.Field, r jobs.Record, at string, out map[string]string) {
	for _, f := range fields {
		p := at + f.Name()
		v := r[f.Name()]
		switch x := v.(type) {
		case nil:
			out[p] = "<null>"
		case string:
			out[p] = x
		case int64:
			out[p] = fmt.Sprint(x)
		case time.Time:
			out[p] = jobs.FormatTime(x)
		case map[string]string:
			out[p+".%"] = fmt.Sprint(len(x))
			for k, v := range x {
				out[p+"."+k] = v
			}
		case jobs.Record:
			flatten(f.Fields, x, p+".", out)
		case []jobs.Record:
			out[p+".#"] = fmt.Sprint(len(x))
			for i, item := range x {
				flatten(f.Fields, item, fmt.Sprintf("%s[%d].", p, i), out)
			}
		default:
			out[p] = fmt.Sprintf("unexpected %T", v)
		}
	}
}

// TestDecodeSeeds decodes every example body of every service's API page
// and compares each attribute with what the page shows.
func TestDecodeSeeds(t *testing.T) {
	for _, svc := range service.All() {
		seeds := svc.Seeds()
		if len(seeds) == 0 {
			t.Errorf("%s has no example body", svc.Name)
		}
		for _, seed := range seeds {
			t.Run(seed.File, func(t *testing.T) {
				want, err := testsupport.WantOf(seed.File)
				if err != nil {
					t.Fatal(err)
				}
				job, err := jobs.Decode(svc, seed.Body)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]string{}
				flatten(svc.Fields, job.Data, "", got)
				if w := wantStrings(want.Attributes); !reflect.DeepEqual(got, w) {
					t.Errorf("decoded %s differs:\n%s", seed.File, diffMaps(got, w))
				}
				if wantID := deref(want.RequestID); job.RequestID != wantID {
					t.Errorf("RequestID = %q, want %q", job.RequestID, wantID)
				}
			})
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// wantStrings writes a seed's expected attributes as flatten does.
func wantStrings(attrs map[string]*string) map[string]string {
	out := make(map[string]string, len(attrs))
	for k, v := range attrs {
		if v == nil {
			out[k] = "<null>"
		} else {
			out[k] = *v
		}
	}
	return out
}

func diffMaps(got, want map[string]string) string {
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		g, gok := got[k]
		w, wok := want[k]
		if g != w || gok != wok {
			fmt.Fprintf(&b, "  %s: got %q (present %v), want %q (present %v)\n", k, g, gok, w, wok)
		}
	}
	return b.String()
}

func TestPhases(t *testing.T) {
	want := map[*service.Service]map[string]service.Phase{
		service.ECS:      {"INIT": service.Pending, "PENDING_PAYMENT": service.Pending, "RUNNING": service.Running, "SUCCESS": service.Succeeded, "FAIL": service.Failed},
		service.ELB:      {"INIT": service.Pending, "RUNNING": service.Running, "ROLLBACKING": service.Running, "SUCCESS": service.Succeeded, "COMPLETE": service.Succeeded, "FAIL": service.Failed, "ROLLBACK_FAIL": service.Failed, "CANCEL": service.Failed},
		service.SDRS:     {"INIT": service.Pending, "RUNNING": service.Running, "SUCCESS": service.Succeeded, "FAIL": service.Failed},
		service.SFSTurbo: {"waiting": service.Pending, "running": service.Running, "success": service.Succeeded, "failed": service.Failed},
	}
	for svc, table := range want {
		if len(svc.Statuses) != len(table) {
			t.Errorf("%s documents %d statuses, want %d", svc.Name, len(svc.Statuses), len(table))
		}
		for status, phase := range table {
			if got := svc.PhaseOf(status); got != phase {
				t.Errorf("%s.PhaseOf(%q) = %s, want %s", svc.Name, status, got, phase)
			}
		}
		// Case is part of the word: another case is not documented.
		for _, odd := range []string{"PAUSED", "", strings.ToLower(svc.Statuses[0].Status) + "x", "Success"} {
			if got := svc.PhaseOf(odd); got != service.Unknown {
				t.Errorf("%s.PhaseOf(%q) = %s, want unknown", svc.Name, odd, got)
			}
		}
	}
	if !service.Succeeded.Finished() || !service.Failed.Finished() || service.Pending.Finished() || service.Running.Finished() || service.Unknown.Finished() {
		t.Error("Finished() must be true for succeeded and failed only")
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2016-04-25T20:04:34.604Z", "2016-04-25T20:04:34.604Z"},     // service.ECS, milliseconds kept
		{"2024-03-23T08:20:42Z", "2024-03-23T08:20:42Z"},             // service.ELB
		{"2019-04-01T12:00:00.000Z", "2019-04-01T12:00:00Z"},         // service.SDRS example: .000 is the same instant
		{"2019-04-01T20:00:00.123+0800", "2019-04-01T12:00:00.123Z"}, // service.SDRS, numeric offset
		{"2019-04-01T20:00:00.123+08:00", "2019-04-01T12:00:00.123Z"},
		{"2019-04-01T12:00:00+0000", "2019-04-01T12:00:00Z"},
		{"2023-07-26 09:33:58", "2023-07-26T09:33:58Z"}, // SFS Turbo: UTC
		{"2023-07-26T09:33:58", "2023-07-26T09:33:58Z"},
		{"2016-04-25T20:04:34.604123456Z", "2016-04-25T20:04:34.604123456Z"},
	}
	for _, tt := range tests {
		got, err := jobs.ParseTime(tt.in)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tt.in, err)
			continue
		}
		if s := jobs.FormatTime(got); s != tt.want {
			t.Errorf("ParseTime(%q) = %s, want %s", tt.in, s, tt.want)
		}
	}
	for _, bad := range []string{"0000-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00", "yesterday", "2023-13-01 00:00:00", "2023-07-26", "1690363938", "2023/07/26 09:33:58"} {
		if _, err := jobs.ParseTime(bad); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) {
			t.Errorf("ParseTime(%q) error = %v, want one quoting the value", bad, err)
		}
	}
}

func TestDecodeNullsAndLists(t *testing.T) {
	// Absent, null and "" are all null; [] stays an empty list.
	job, err := jobs.Decode(service.SFSTurbo, []byte(`{"status":"running","job_id":"j","job_type":"","begin_time":"","end_time":null,"sub_jobs":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if job.Data["job_type"] != nil || job.Data["begin_time"] != nil || job.Data["end_time"] != nil || job.Data["error_code"] != nil {
		t.Errorf("empty, null and absent fields must be nil: %#v", job.Data)
	}
	if subs, ok := job.Data["sub_jobs"].([]jobs.Record); !ok || subs == nil || len(subs) != 0 {
		t.Errorf("sub_jobs = %#v, want an empty non-nil list", job.Data["sub_jobs"])
	}
	job, err = jobs.Decode(service.SFSTurbo, []byte(`{"status":"running","sub_jobs":null}`))
	if err != nil || job.Data["sub_jobs"] != nil {
		t.Errorf("null sub_jobs = %#v (%v), want nil", job.Data["sub_jobs"], err)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		svc  *service.Service
		body string
		want string
	}{
		{service.ECS, `{"status": "SUCC`, "malformed JSON"},
		{service.ECS, `<html>Bad gateway</html>`, "malformed JSON"},
		{service.ECS, ``, "malformed JSON"},
		{service.ECS, `null`, "null"},
		{service.ECS, `[]`, "malformed JSON"},
		{service.ECS, `{"jobs": []}`, "no status"},
		{service.ELB, `{"request_id": "r"}`, `no "job" object`},
		{service.ELB, `{"job": "x"}`, "job"},
		{service.ECS, `{"status":"RUNNING","begin_time":"soon"}`, `begin_time: unrecognised time "soon"`},
		{service.ECS, `{"status":"RUNNING","entities":{"sub_jobs":[{"status":"FAIL","end_time":"13:00"}]}}`, `entities.sub_jobs[0].end_time: unrecognised time "13:00"`},
		{service.ECS, `{"status":"RUNNING","entities":{"sub_jobs_total":"many"}}`, "entities.sub_jobs_total: want an integer"},
		{service.ECS, `{"status":"RUNNING","entities":[]}`, "entities: want an object"},
		{service.ECS, `{"status":"RUNNING","entities":{"sub_jobs":{}}}`, "entities.sub_jobs: want a list"},
		{service.ECS, `{"status":"RUNNING","entities":{"sub_jobs":[1]}}`, "entities.sub_jobs[0]: want an object"},
		{service.SFSTurbo, `{"status":{"a":1}}`, "status: want a string"},
	}
	for _, tt := range tests {
		_, err := jobs.Decode(tt.svc, []byte(tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Decode(%s, %q) error = %v, want it to contain %q", tt.svc.Name, tt.body, err, tt.want)
			continue
		}
		if !errors.Is(err, jobs.ErrMalformed) {
			t.Errorf("Decode(%s, %q) error %v does not match jobs.ErrMalformed", tt.svc.Name, tt.body, err)
		}
		if !strings.Contains(err.Error(), tt.svc.Title) {
			t.Errorf("error %q does not name the service", err)
		}
	}
}

func TestDecodeLenientScalars(t *testing.T) {
	// A number where a string is documented keeps its text; an integer sent
	// as a string is read.
	job, err := jobs.Decode(service.ECS, []byte(`{"status":"RUNNING","error_code":1234,"entities":{"sub_jobs_total":"2"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if job.Data.Str("error_code") != "1234" {
		t.Errorf("error_code = %#v", job.Data["error_code"])
	}
	if n := job.Data["entities"].(jobs.Record)["sub_jobs_total"]; n != int64(2) {
		t.Errorf("sub_jobs_total = %#v", n)
	}
}

func TestFailures(t *testing.T) {
	job, err := jobs.Decode(service.ECS, []byte(`{"status":"FAIL","job_id":"j1","job_type":"createServer","error_code":"Ecs.0001","fail_reason":"quota",
		"entities":{"sub_jobs":[
			{"status":"SUCCESS","job_id":"s1","job_type":"createSingleServer"},
			{"status":"FAIL","job_id":"s2","job_type":"createSingleServer","error_code":"Ecs.0002","fail_reason":"no capacity"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []jobs.Failure{
		{Path: "", JobID: "j1", JobType: "createServer", Status: "FAIL", ErrorCode: "Ecs.0001", Reason: "quota", ReasonField: "fail_reason", CodeField: "error_code"},
		{Path: "entities.sub_jobs[1]", JobID: "s2", JobType: "createSingleServer", Status: "FAIL", ErrorCode: "Ecs.0002", Reason: "no capacity", ReasonField: "fail_reason", CodeField: "error_code"},
	}
	if got := job.Failures(); !reflect.DeepEqual(got, want) {
		t.Errorf("Failures() = %+v, want %+v", got, want)
	}
	elb, err := jobs.Decode(service.ELB, []byte(`{"job":{"status":"ROLLBACK_FAIL","job_id":"e","error_code":"ELB.1","error_msg":"boom","sub_jobs":[{"status":"CANCEL","job_id":"x","error_msg":"stopped"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := elb.Failures(); len(got) != 2 || got[0].Reason != "boom" || got[1].Path != "sub_jobs[0]" || got[1].Reason != "stopped" {
		t.Errorf("ELB Failures() = %+v", got)
	}
}

// TestTimeLayoutsParse: whatever layout a description says its service
// writes, ParseTime reads back to the same instant.
func TestTimeLayoutsParse(t *testing.T) {
	at := time.Date(2018, 8, 2, 8, 12, 40, 672772389, time.UTC)
	for _, svc := range service.All() {
		for _, layout := range svc.TimeLayouts {
			text := at.In(time.FixedZone("CST", 8*3600)).Format(layout)
			if !strings.Contains(layout, "Z07") && !strings.Contains(layout, "-07") {
				text = at.Format(layout) // a layout without a zone means UTC
			}
			got, err := jobs.ParseTime(text)
			if err != nil {
				t.Errorf("%s writes %q (%s), which ParseTime refuses: %v", svc.Name, text, layout, err)
				continue
			}
			if want := at.Truncate(precision(layout)); !got.Equal(want) {
				t.Errorf("%s: %q reads as %s, want %s", svc.Name, text, got, want)
			}
		}
	}
}

// precision is the smallest unit a layout writes.
func precision(layout string) time.Duration {
	if i := strings.Index(layout, ".0"); i >= 0 {
		digits := len(layout[i+1:]) - len(strings.TrimLeft(layout[i+1:], "0"))
		return time.Duration(math.Pow10(9 - digits))
	}
	if strings.Contains(layout, ".9") {
		return time.Nanosecond
	}
	return time.Second
}
