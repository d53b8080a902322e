package jobs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Record is a decoded job or part of one. Each field of its table maps to nil
// (the API left it out, sent null or ""), a string, an int64, a time.Time, a
// Record or a []Record (an empty, non-nil slice when the API sent []).
type Record map[string]any

// Job is one read of a job.
type Job struct {
	Service *Service
	// Data holds every field of Service.Fields, phases included.
	Data Record
	// RequestID identifies the read, for support tickets.
	RequestID string
}

// Status returns the job's status verbatim.
func (j *Job) Status() string { return j.Data.Str("status") }

// Phase returns the job's normalised status.
func (j *Job) Phase() Phase { return Phase(j.Data.Str("phase")) }

// Str returns a string field, "" when null.
func (o Record) Str(name string) string {
	s, _ := o[name].(string)
	return s
}

// Decode reads a job body of service s. Fields the table does not list are
// ignored; a field of the wrong type, an unparseable time or a body with no
// job status is an error that names the field.
func Decode(s *Service, body []byte) (*Job, error) {
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
	if data["status"] == nil {
		return nil, malformed(s, "the body has no status")
	}
	job := &Job{Service: s, Data: data}
	if s.RequestIDField != "" {
		if raw, ok := top[s.RequestIDField]; ok {
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

func decodeObject(s *Service, fields []Field, raw map[string]json.RawMessage, at string) (Record, error) {
	obj := make(Record, len(fields))
	for _, f := range fields {
		if f.Derived {
			continue
		}
		v, err := decodeField(s, f, raw[f.Key()], at+f.Key())
		if err != nil {
			return nil, err
		}
		obj[f.Name] = v
	}
	if _, ok := obj["status"]; ok {
		obj["phase"] = string(s.PhaseOf(obj.Str("status")))
	}
	return obj, nil
}

func decodeField(s *Service, f Field, raw json.RawMessage, at string) (any, error) {
	if isNull(raw) {
		return nil, nil
	}
	switch f.Kind {
	case String, Time:
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
		if f.Kind == String {
			return str, nil
		}
		t, err := ParseTime(str)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		return t, nil
	case Int:
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
	case Object:
		var m map[string]json.RawMessage
		if err := unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("%s: want an object, got %s", at, excerpt(raw))
		}
		return decodeObject(s, f.Fields, m, at+".")
	case List:
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
	{time.RFC3339, false},               // 2024-03-23T08:20:42Z, 2019-04-01T12:00:00.000+08:00
	{"2006-01-02T15:04:05Z0700", false}, // 2019-04-01T12:00:00.000+0800
	{"2006-01-02 15:04:05", true},       // 2023-07-26 09:33:58 (SFS Turbo, UTC)
	{"2006-01-02T15:04:05", true},       // no zone at all: UTC, as the services run in it
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
}

// Failures lists the job itself when it failed, then every failed sub-job,
// at any depth.
func (j *Job) Failures() []Failure {
	var out []Failure
	var walk func(o Record, at string)
	walk = func(o Record, at string) {
		if Phase(o.Str("phase")) == Failed {
			out = append(out, Failure{
				Path: at, JobID: o.Str("job_id"), JobType: o.Str("job_type"), Status: o.Str("status"),
				ErrorCode: o.Str("error_code"), Reason: o.Str(j.Service.ReasonField),
			})
		}
		walkChildren(j.Service.Fields, o, at, walk)
	}
	walk(j.Data, "")
	return out
}

// walkChildren calls fn on each object nested in o that carries a status.
func walkChildren(fields []Field, o Record, at string, fn func(Record, string)) {
	for _, f := range fields {
		switch v := o[f.Name].(type) {
		case Record:
			walkChildren(f.Fields, v, join(at, f.Name), fn)
		case []Record:
			for i, item := range v {
				p := fmt.Sprintf("%s[%d]", join(at, f.Name), i)
				if _, ok := item["status"]; ok {
					fn(item, p)
				} else {
					walkChildren(f.Fields, item, p, fn)
				}
			}
		}
	}
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

func malformed(s *Service, format string, args ...any) error {
	return &decodeError{msg: fmt.Sprintf("decoding %s job: ", s.Title) + fmt.Sprintf(format, args...)}
}
