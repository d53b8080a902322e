// Package jobs reads Huawei Cloud asynchronous jobs and waits for them:
// Decode turns a job body into a Record following the service's
// description, Find reads a job through the client, and Waiter polls one
// until it has finished.
package jobs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// Record is a decoded job or part of one, keyed by attribute name. Each
// field of its table maps to nil (the API left it out, sent null or ""), a
// string, an int64, a time.Time, a map[string]string, a Record or a
// []Record (an empty, non-nil slice when the API sent []).
type Record map[string]any

// Job is one read of a job.
type Job struct {
	Service *service.Service
	// Data holds every field of Service.Fields, phases included.
	Data Record
	// RequestID identifies the read, for support tickets.
	RequestID string
}

// Status returns the job's status verbatim.
func (j *Job) Status() string { return roleStr(j.Service.Fields, j.Data, service.Status) }

// Phase returns the job's normalised status.
func (j *Job) Phase() service.Phase { return service.Phase(j.Data.Str("phase")) }

// Type returns what the job does (job_type, spec.type), "" when unknown.
func (j *Job) Type() string { return roleStr(j.Service.Fields, j.Data, service.Type) }

// ID returns the job's id as its body gives it.
func (j *Job) ID() string { return roleStr(j.Service.Fields, j.Data, service.ID) }

// SubJobs returns the job's sub-jobs and how many of them have finished;
// ok is false when the service has no sub-jobs or the body lists none.
func (j *Job) SubJobs() (total, finished int, ok bool) {
	list, ok := roleValue(j.Service.Fields, j.Data, service.SubJobs).([]Record)
	if !ok {
		return 0, 0, false
	}
	for _, sub := range list {
		if service.Phase(sub.Str("phase")).Finished() {
			finished++
		}
	}
	return len(list), finished, true
}

// Str returns a string field, "" when null.
func (o Record) Str(name string) string {
	s, _ := o[name].(string)
	return s
}

// roleValue returns the value of the field of role r in job object o,
// described by fields.
func roleValue(fields []service.Field, o Record, r service.Role) any {
	p := service.RolePath(fields, r)
	if p == nil {
		return nil
	}
	var v any = o
	for _, f := range p {
		rec, ok := v.(Record)
		if !ok {
			return nil
		}
		v = rec[f.Name()]
	}
	return v
}

func roleStr(fields []service.Field, o Record, r service.Role) string {
	s, _ := roleValue(fields, o, r).(string)
	return s
}

// Decode reads a job body of service s. Fields the table does not list are
// ignored; a field of the wrong type, an unparseable time or a body with no
// job status is an error that names the field.
func Decode(s *service.Service, body []byte) (*Job, error) {
	var top map[string]json.RawMessage
	if err := unmarshal(body, &top); err != nil {
		return nil, malformed(s, "%v", err)
	}
	if top == nil {
		return nil, malformed(s, "the body is null")
	}
	fields := top
	if s.Envelope != "" {
		raw, ok := top[s.Envelope]
		if !ok || isNull(raw) {
			return nil, malformed(s, "the body has no %q object", s.Envelope)
		}
		if err := unmarshal(raw, &fields); err != nil {
			return nil, malformed(s, "%s: %v", s.Envelope, err)
		}
	}
	data, err := decodeObject(s, s.Fields, fields, "")
	if err != nil {
		return nil, malformed(s, "%v", err)
	}
	job := &Job{Service: s, Data: data}
	if job.Status() == "" {
		return nil, malformed(s, "the body has no status")
	}
	if s.RequestIDKey != "" {
		if raw, ok := top[s.RequestIDKey]; ok {
			var id string
			if json.Unmarshal(raw, &id) == nil {
				job.RequestID = id
			}
		}
	}
	return job, nil
}

func unmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("malformed JSON: %w", err)
	}
	return nil
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

func decodeObject(s *service.Service, fields []service.Field, raw map[string]json.RawMessage, at string) (Record, error) {
	obj := make(Record, len(fields))
	isJob := false
	for _, f := range fields {
		if f.Derived {
			isJob = true // the phase of a job or sub-job
			continue
		}
		v, err := decodeField(s, f, raw[f.Key], at+f.Key)
		if err != nil {
			return nil, err
		}
		obj[f.Name()] = v
	}
	if isJob {
		obj["phase"] = string(s.PhaseOf(roleStr(fields, obj, service.Status)))
	}
	return obj, nil
}

func decodeField(s *service.Service, f service.Field, raw json.RawMessage, at string) (any, error) {
	if isNull(raw) {
		return nil, nil
	}
	switch f.Kind {
	case service.String, service.Time:
		var str string
		if err := json.Unmarshal(raw, &str); err != nil {
			// Be lenient with a number or boolean where a string is
			// documented: keep its JSON text.
			if raw[0] == '{' || raw[0] == '[' {
				return nil, fmt.Errorf("%s: want a string, got %s", at, excerpt(raw))
			}
			str = string(raw)
		}
		if str == "" {
			return nil, nil
		}
		if f.Kind == service.String {
			return str, nil
		}
		t, err := ParseTime(str)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		return t, nil
	case service.Int:
		var n json.Number
		if err := unmarshal(raw, &n); err != nil {
			var str string
			if json.Unmarshal(raw, &str) != nil {
				return nil, fmt.Errorf("%s: want an integer, got %s", at, excerpt(raw))
			}
			n = json.Number(str)
		}
		if n == "" {
			return nil, nil
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: want an integer, got %s", at, excerpt(raw))
		}
		return i, nil
	case service.Map:
		var m map[string]json.RawMessage
		if err := unmarshal(raw, &m); err != nil || m == nil {
			return nil, fmt.Errorf("%s: want an object of strings, got %s", at, excerpt(raw))
		}
		out := make(map[string]string, len(m))
		for k, v := range m {
			var str string
			if json.Unmarshal(v, &str) != nil {
				if len(v) > 0 && (v[0] == '{' || v[0] == '[') {
					return nil, fmt.Errorf("%s.%s: want a string, got %s", at, k, excerpt(v))
				}
				str = string(v) // a number or boolean: its JSON text
			}
			out[k] = str
		}
		return out, nil
	case service.Object:
		var m map[string]json.RawMessage
		if err := unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("%s: want an object, got %s", at, excerpt(raw))
		}
		return decodeObject(s, f.Fields, m, at+".")
	case service.List:
		var items []json.RawMessage
		if err := unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("%s: want a list, got %s", at, excerpt(raw))
		}
		list := make([]Record, 0, len(items))
		for i, item := range items {
			var m map[string]json.RawMessage
			if err := unmarshal(item, &m); err != nil || m == nil {
				return nil, fmt.Errorf("%s[%d]: want an object, got %s", at, i, excerpt(item))
			}
			o, err := decodeObject(s, f.Fields, m, fmt.Sprintf("%s[%d].", at, i))
			if err != nil {
				return nil, err
			}
			list = append(list, o)
		}
		return list, nil
	}
	return nil, fmt.Errorf("%s: unknown kind %d", at, f.Kind)
}

// excerpt quotes at most 64 bytes of raw JSON for an error message.
func excerpt(raw []byte) string {
	const most = 64
	if len(raw) > most {
		return strconv.Quote(string(raw[:most])) + "..."
	}
	return strconv.Quote(string(raw))
}

// timeLayouts are the formats the job APIs write times in. Parsing accepts a
// fraction of a second after the seconds in each of them.
var timeLayouts = []struct {
	layout string
	utc    bool // the layout has no zone: the API means UTC
}{
	{time.RFC3339, false},                    // 2024-03-23T08:20:42Z, 2019-04-01T12:00:00.000+08:00
	{"2006-01-02T15:04:05Z0700", false},      // 2019-04-01T12:00:00.000+0800
	{"2006-01-02 15:04:05", true},            // 2023-07-26 09:33:58 (SFS Turbo, UTC)
	{"2006-01-02T15:04:05", true},            // no zone at all: UTC, as the services run in it
	{"2006-01-02 15:04:05 -0700 MST", false}, // 2018-08-02 08:12:40.672772389 +0000 UTC (CCE, Go's time.String)
}

// ParseTime reads a job time in any of the services' formats. Times with no
// zone are UTC. The result keeps the time's precision.
func ParseTime(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	for _, l := range timeLayouts {
		var t time.Time
		var err error
		if l.utc {
			t, err = time.ParseInLocation(l.layout, v, time.UTC)
		} else {
			t, err = time.Parse(l.layout, v)
		}
		if err != nil {
			continue
		}
		// RFC 3339 has years 0000-9999 only, and the provider writes the
		// UTC instant: an offset may push year 0 or 9999 out of range.
		if y := t.UTC().Year(); y < 0 || y > 9999 {
			return time.Time{}, fmt.Errorf("time %q is out of range: in UTC it falls in year %d, outside 0000-9999", s, y)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("unrecognised time %q: want RFC 3339 (2024-03-23T08:20:42Z), yyyy-MM-dd'T'HH:mm:ss.SSSZ or yyyy-MM-dd HH:mm:ss", s)
}

// FormatTime writes a job time as an RFC 3339 instant in UTC, with as many
// fractional digits as it has.
func FormatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Failure describes a failed job or sub-job, for error messages.
type Failure struct {
	Path      string // "" for the job, else where the sub-job sits, e.g. sub_jobs[1]
	JobID     string
	JobType   string
	Status    string
	ErrorCode string
	Reason    string
	// ReasonField and CodeField name the attributes Reason and ErrorCode
	// come from ("" when the service has no such field).
	ReasonField, CodeField string
}

// Failures lists the job itself when it failed, then every failed sub-job,
// at any depth.
func (j *Job) Failures() []Failure {
	var out []Failure
	var walk func(fields []service.Field, o Record, at string)
	walk = func(fields []service.Field, o Record, at string) {
		if service.Phase(o.Str("phase")) == service.Failed {
			out = append(out, Failure{
				Path: at, JobID: roleStr(fields, o, service.ID), JobType: roleStr(fields, o, service.Type),
				Status: roleStr(fields, o, service.Status), ErrorCode: roleStr(fields, o, service.Code),
				Reason:      roleStr(fields, o, service.Reason),
				ReasonField: service.RoleName(fields, service.Reason), CodeField: service.RoleName(fields, service.Code),
			})
		}
		p := service.RolePath(fields, service.SubJobs)
		if p == nil {
			return
		}
		list, _ := roleValue(fields, o, service.SubJobs).([]Record)
		names := make([]string, len(p))
		for i, f := range p {
			names[i] = f.Name()
		}
		for i, sub := range list {
			walk(p[len(p)-1].Fields, sub, fmt.Sprintf("%s[%d]", join(at, strings.Join(names, ".")), i))
		}
	}
	walk(j.Service.Fields, j.Data, "")
	return out
}

func join(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

// ErrMalformed matches (errors.Is) every error Decode returns: the body was
// read but is not a job of the service.
var ErrMalformed = errors.New("malformed job body")

// decodeError carries a decoding failure's message and matches ErrMalformed.
type decodeError struct{ msg string }

func (e *decodeError) Error() string        { return e.msg }
func (e *decodeError) Is(target error) bool { return target == ErrMalformed }

func malformed(s *service.Service, format string, args ...any) error {
	return &decodeError{msg: fmt.Sprintf("decoding %s job: ", s.Title) + fmt.Sprintf(format, args...)}
}
