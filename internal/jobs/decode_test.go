package jobs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// readSeed returns a seed page's example body, as the emulator serves it.
func readSeed(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "emulator", "seeds", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// flatten writes every field of the table (phases included) as path=value,
// null as <null>, so a test compares a whole job at once.
func flatten(fields []Field, r Record, at string, out map[string]string) {
	for _, f := range fields {
		p := at + f.Name
		v := r[f.Name]
		switch x := v.(type) {
		case nil:
			out[p] = "<null>"
		case string:
			out[p] = x
		case int64:
			out[p] = fmt.Sprint(x)
		case time.Time:
			out[p] = FormatTime(x)
		case Record:
			flatten(f.Fields, x, p+".", out)
		case []Record:
			out[p+".#"] = fmt.Sprint(len(x))
			for i, item := range x {
				flatten(f.Fields, item, fmt.Sprintf("%s[%d].", p, i), out)
			}
		default:
			out[p] = fmt.Sprintf("unexpected %T", v)
		}
	}
}

func TestDecodeSeeds(t *testing.T) {
	tests := []struct {
		svc       *Service
		seed      string
		requestID string
		want      map[string]string
	}{
		{ECS, "ecs", "", map[string]string{
			"job_id": "2c9eb2c5544cbf6101544f0602af2b4f", "status": "SUCCESS", "phase": "succeeded",
			"job_type": "createServer", "begin_time": "2016-04-25T20:04:34.604Z", "end_time": "2016-04-25T20:08:41.593Z",
			"error_code": "<null>", "fail_reason": "<null>",
			"entities.server_id": "<null>", "entities.nic_id": "<null>", "entities.sub_jobs_total": "1",
			"entities.sub_jobs.#":                             "1",
			"entities.sub_jobs[0].job_id":                     "2c9eb2c5544cbf6101544f0635672b60",
			"entities.sub_jobs[0].status":                     "SUCCESS",
			"entities.sub_jobs[0].phase":                      "succeeded",
			"entities.sub_jobs[0].job_type":                   "createSingleServer",
			"entities.sub_jobs[0].begin_time":                 "2016-04-25T20:04:47.591Z",
			"entities.sub_jobs[0].end_time":                   "2016-04-25T20:08:21.328Z",
			"entities.sub_jobs[0].error_code":                 "<null>",
			"entities.sub_jobs[0].fail_reason":                "<null>",
			"entities.sub_jobs[0].entities.server_id":         "bae51750-0089-41a1-9b18-5c777978ff6d",
			"entities.sub_jobs[0].entities.nic_id":            "<null>",
			"entities.sub_jobs[0].entities.errorcode_message": "<null>",
		}},
		{SDRS, "sdrs", "", map[string]string{
			"job_id": "0000000062db92d70162db9d200f000a", "status": "SUCCESS", "phase": "succeeded",
			"job_type": "createProtectionGroupNoCG", "begin_time": "2018-04-19T01:55:30.443Z", "end_time": "2018-04-19T01:55:45.493Z",
			"error_code": "<null>", "fail_reason": "<null>",
			"entities.replication_pair_id": "<null>", "entities.volume_ids": "<null>",
			"entities.server_group_id": "a59d008e-4bad-4bf3-9b17-6cc25e7da483", "entities.protected_instance_id": "<null>",
			"entities.native_server_id": "<null>", "entities.nic_id": "<null>", "entities.sub_jobs": "<null>",
		}},
		{SFSTurbo, "sfs_turbo", "", map[string]string{
			"job_id": "26f6b565-xxxx-XXXX-xxxx-03f0bd975433", "status": "success", "phase": "succeeded",
			"job_type": "bind_ldap", "begin_time": "2023-07-26T09:33:58Z", "end_time": "2023-07-26T09:33:58Z",
			"error_code": "<null>", "fail_reason": "<null>", "sub_jobs": "<null>",
		}},
		{ELB, "elb", "39551f69-3c49-4200-8ad3-73f9a8b4a3e4", elbSeedWant()},
	}
	for _, tt := range tests {
		t.Run(tt.seed, func(t *testing.T) {
			job, err := Decode(tt.svc, readSeed(t, tt.seed))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			flatten(tt.svc.Fields, job.Data, "", got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decoded %s seed differs:\n%s", tt.seed, diffMaps(got, tt.want))
			}
			if job.RequestID != tt.requestID {
				t.Errorf("RequestID = %q, want %q", job.RequestID, tt.requestID)
			}
		})
	}
}

func elbSeedWant() map[string]string {
	const lb, project = "9f5b432c-987e-4777-a1bc-6642be4b2b50", "7b7705dce1e847b08b3b16dda67fec24"
	want := map[string]string{
		"job_id": "ef6da45b-35d9-4c18-8c35-0b80d94ab9e6", "status": "COMPLETE", "phase": "succeeded",
		"job_type": "UPGRADE", "begin_time": "2024-03-23T08:20:42Z", "end_time": "2024-03-23T08:49:11Z",
		"error_code": "<null>", "error_msg": "<null>", "job_project_id": project, "resource_id": lb,
		"sub_jobs.#": "3",
	}
	subs := []struct{ id, typ, begin, end string }{
		{"481a5ab3-b3ff-46fa-b074-d3b8e09ab9cb", "UPGRADE_TRAFFIC_SWITCH", "2024-03-23T08:47:11Z", "2024-03-23T08:47:11Z"},
		{"c4cf4e5b-fa53-427d-ad43-497e7a876c2e", "UPGRADE_INIT", "2024-03-23T08:20:42Z", "2024-03-23T08:46:44Z"},
		{"ee56e027-5d52-4bd9-abba-9821a742a466", "UPGRADE_COMPLETE", "2024-03-23T08:49:11Z", "2024-03-23T08:49:11Z"},
	}
	for i, s := range subs {
		p := fmt.Sprintf("sub_jobs[%d].", i)
		for k, v := range map[string]string{
			"job_id": s.id, "job_type": s.typ, "begin_time": s.begin, "end_time": s.end,
			"status": "SUCCESS", "phase": "succeeded", "error_code": "<null>", "error_msg": "<null>",
			"project_id": project, "resource_id": lb, "entities.#": "1",
			"entities[0].resource_id": lb, "entities[0].resource_type": "loadbalancer",
		} {
			want[p+k] = v
		}
	}
	return want
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
	want := map[*Service]map[string]Phase{
		ECS:      {"INIT": Pending, "PENDING_PAYMENT": Pending, "RUNNING": Running, "SUCCESS": Succeeded, "FAIL": Failed},
		ELB:      {"INIT": Pending, "RUNNING": Running, "ROLLBACKING": Running, "SUCCESS": Succeeded, "COMPLETE": Succeeded, "FAIL": Failed, "ROLLBACK_FAIL": Failed, "CANCEL": Failed},
		SDRS:     {"INIT": Pending, "RUNNING": Running, "SUCCESS": Succeeded, "FAIL": Failed},
		SFSTurbo: {"waiting": Pending, "running": Running, "success": Succeeded, "failed": Failed},
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
			if got := svc.PhaseOf(odd); got != Unknown {
				t.Errorf("%s.PhaseOf(%q) = %s, want unknown", svc.Name, odd, got)
			}
		}
	}
	if !Succeeded.Finished() || !Failed.Finished() || Pending.Finished() || Running.Finished() || Unknown.Finished() {
		t.Error("Finished() must be true for succeeded and failed only")
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2016-04-25T20:04:34.604Z", "2016-04-25T20:04:34.604Z"},     // ECS, milliseconds kept
		{"2024-03-23T08:20:42Z", "2024-03-23T08:20:42Z"},             // ELB
		{"2019-04-01T12:00:00.000Z", "2019-04-01T12:00:00Z"},         // SDRS example: .000 is the same instant
		{"2019-04-01T20:00:00.123+0800", "2019-04-01T12:00:00.123Z"}, // SDRS, numeric offset
		{"2019-04-01T20:00:00.123+08:00", "2019-04-01T12:00:00.123Z"},
		{"2019-04-01T12:00:00+0000", "2019-04-01T12:00:00Z"},
		{"2023-07-26 09:33:58", "2023-07-26T09:33:58Z"}, // SFS Turbo: UTC
		{"2023-07-26T09:33:58", "2023-07-26T09:33:58Z"},
		{"2016-04-25T20:04:34.604123456Z", "2016-04-25T20:04:34.604123456Z"},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tt.in, err)
			continue
		}
		if s := FormatTime(got); s != tt.want {
			t.Errorf("ParseTime(%q) = %s, want %s", tt.in, s, tt.want)
		}
	}
	for _, bad := range []string{"0000-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00", "yesterday", "2023-13-01 00:00:00", "2023-07-26", "1690363938", "2023/07/26 09:33:58"} {
		if _, err := ParseTime(bad); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) {
			t.Errorf("ParseTime(%q) error = %v, want one quoting the value", bad, err)
		}
	}
}

func TestDecodeNullsAndLists(t *testing.T) {
	// Absent, null and "" are all null; [] stays an empty list.
	job, err := Decode(SFSTurbo, []byte(`{"status":"running","job_id":"j","job_type":"","begin_time":"","end_time":null,"sub_jobs":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if job.Data["job_type"] != nil || job.Data["begin_time"] != nil || job.Data["end_time"] != nil || job.Data["error_code"] != nil {
		t.Errorf("empty, null and absent fields must be nil: %#v", job.Data)
	}
	if subs, ok := job.Data["sub_jobs"].([]Record); !ok || subs == nil || len(subs) != 0 {
		t.Errorf("sub_jobs = %#v, want an empty non-nil list", job.Data["sub_jobs"])
	}
	job, err = Decode(SFSTurbo, []byte(`{"status":"running","sub_jobs":null}`))
	if err != nil || job.Data["sub_jobs"] != nil {
		t.Errorf("null sub_jobs = %#v (%v), want nil", job.Data["sub_jobs"], err)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		svc  *Service
		body string
		want string
	}{
		{ECS, `{"status": "SUCC`, "malformed JSON"},
		{ECS, `<html>Bad gateway</html>`, "malformed JSON"},
		{ECS, ``, "malformed JSON"},
		{ECS, `null`, "null"},
		{ECS, `[]`, "malformed JSON"},
		{ECS, `{"jobs": []}`, "no status"},
		{ELB, `{"request_id": "r"}`, `no "job" object`},
		{ELB, `{"job": "x"}`, "job"},
		{ECS, `{"status":"RUNNING","begin_time":"soon"}`, `begin_time: unrecognised time "soon"`},
		{ECS, `{"status":"RUNNING","entities":{"sub_jobs":[{"status":"FAIL","end_time":"13:00"}]}}`, `entities.sub_jobs[0].end_time: unrecognised time "13:00"`},
		{ECS, `{"status":"RUNNING","entities":{"sub_jobs_total":"many"}}`, "entities.sub_jobs_total: want an integer"},
		{ECS, `{"status":"RUNNING","entities":[]}`, "entities: want an object"},
		{ECS, `{"status":"RUNNING","entities":{"sub_jobs":{}}}`, "entities.sub_jobs: want a list"},
		{ECS, `{"status":"RUNNING","entities":{"sub_jobs":[1]}}`, "entities.sub_jobs[0]: want an object"},
		{SFSTurbo, `{"status":{"a":1}}`, "status: want a string"},
	}
	for _, tt := range tests {
		_, err := Decode(tt.svc, []byte(tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Decode(%s, %q) error = %v, want it to contain %q", tt.svc.Name, tt.body, err, tt.want)
			continue
		}
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("Decode(%s, %q) error %v does not match ErrMalformed", tt.svc.Name, tt.body, err)
		}
		if !strings.Contains(err.Error(), tt.svc.Title) {
			t.Errorf("error %q does not name the service", err)
		}
	}
}

func TestDecodeLenientScalars(t *testing.T) {
	// A number where a string is documented keeps its text; an integer sent
	// as a string is read.
	job, err := Decode(ECS, []byte(`{"status":"RUNNING","error_code":1234,"entities":{"sub_jobs_total":"2"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if job.Data.Str("error_code") != "1234" {
		t.Errorf("error_code = %#v", job.Data["error_code"])
	}
	if n := job.Data["entities"].(Record)["sub_jobs_total"]; n != int64(2) {
		t.Errorf("sub_jobs_total = %#v", n)
	}
}

func TestFailures(t *testing.T) {
	job, err := Decode(ECS, []byte(`{"status":"FAIL","job_id":"j1","job_type":"createServer","error_code":"Ecs.0001","fail_reason":"quota",
		"entities":{"sub_jobs":[
			{"status":"SUCCESS","job_id":"s1","job_type":"createSingleServer"},
			{"status":"FAIL","job_id":"s2","job_type":"createSingleServer","error_code":"Ecs.0002","fail_reason":"no capacity"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Failure{
		{Path: "", JobID: "j1", JobType: "createServer", Status: "FAIL", ErrorCode: "Ecs.0001", Reason: "quota"},
		{Path: "entities.sub_jobs[1]", JobID: "s2", JobType: "createSingleServer", Status: "FAIL", ErrorCode: "Ecs.0002", Reason: "no capacity"},
	}
	if got := job.Failures(); !reflect.DeepEqual(got, want) {
		t.Errorf("Failures() = %+v, want %+v", got, want)
	}
	elb, err := Decode(ELB, []byte(`{"job":{"status":"ROLLBACK_FAIL","job_id":"e","error_code":"ELB.1","error_msg":"boom","sub_jobs":[{"status":"CANCEL","job_id":"x","error_msg":"stopped"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := elb.Failures(); len(got) != 2 || got[0].Reason != "boom" || got[1].Path != "sub_jobs[0]" || got[1].Reason != "stopped" {
		t.Errorf("ELB Failures() = %+v", got)
	}
}

// Every field of every service has a description, and phase sits beside
// each status.
func TestServiceTables(t *testing.T) {
	var walk func(svc *Service, fields []Field, at string)
	walk = func(svc *Service, fields []Field, at string) {
		names := map[string]bool{}
		for _, f := range fields {
			if f.Description == "" {
				t.Errorf("%s: %s%s has no description", svc.Name, at, f.Name)
			}
			if names[f.Name] {
				t.Errorf("%s: %s%s listed twice", svc.Name, at, f.Name)
			}
			names[f.Name] = true
			if (f.Kind == Object || f.Kind == List) != (len(f.Fields) > 0) {
				t.Errorf("%s: %s%s: nested fields only for objects and lists", svc.Name, at, f.Name)
			}
			walk(svc, f.Fields, at+f.Name+".")
		}
		if names["status"] != names["phase"] {
			t.Errorf("%s: %s: phase must sit beside status", svc.Name, at)
		}
	}
	seen := map[string]bool{}
	for _, svc := range All() {
		if seen[svc.Name] {
			t.Errorf("service %s registered twice", svc.Name)
		}
		seen[svc.Name] = true
		walk(svc, svc.Fields, "")
		if !strings.Contains(svc.Path, "{project_id}") || !strings.Contains(svc.Path, "{job_id}") {
			t.Errorf("%s: path %s lacks a placeholder", svc.Name, svc.Path)
		}
	}
}
