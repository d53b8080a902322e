// Package service describes Huawei Cloud's asynchronous job APIs, one file
// per service, as data: where the API lives, where in its JSON each fact of
// a job sits, the fields users see (JSON key, attribute name, kind, nesting,
// description), status → phase, time formats, and the example bodies of the
// API reference. It imports nothing of this module, so the client, the
// decoder, the provider and the emulator all derive from the same
// descriptions, and the emulator never needs the client.
//
// Adding a service is one file here that declares a *Service, its example
// bodies under seeds/, and one line in All.
package service

import (
	"embed"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Kind is the type of one job field.
type Kind int

// The kinds of job fields.
const (
	String Kind = iota // a JSON string; "" is null
	Int                // a JSON integer
	Time               // a timestamp in one of the service's formats, read as an RFC 3339 instant
	Object             // a JSON object, described by Field.Fields
	List               // a JSON array of objects, each described by Field.Fields
	Map                // a JSON object of strings, keys verbatim
)

// Role tells which fact of a job a field holds, so that code can find the
// job id, status, reason or sub-jobs wherever a service puts them.
type Role int

// The roles a field can have; most fields have none.
const (
	Plain       Role = iota
	ID               // the job's id
	Status           // the job's status word
	Type             // what the job does (job_type, spec.type)
	Begin            // when the job started
	End              // when the job finished; absent while it runs
	Code             // the error code of a failed job
	Reason           // why the job failed
	SubJobs          // the list of sub-jobs, each a job of its own
	SubJobCount      // the number of sub-jobs
	Project          // the project the job belongs to
)

// Absent is how a service writes a value it does not have; the decoder
// reads all three as null, the emulator writes what the service writes.
type Absent int

// The ways an absent value is written.
const (
	AbsentNull  Absent = iota // "key": null
	AbsentEmpty               // "key": ""
	AbsentOmit                // no key at all
)

// Field describes one field of a job body.
type Field struct {
	// Key is the field's key in the JSON body.
	Key string
	// Attr is its Terraform attribute name when it is not Key in
	// snake_case (a name an argument already uses).
	Attr string
	// Kind is its type; Fields describe an Object's or a List item's.
	Kind   Kind
	Fields []Field
	// Role tells which fact of the job it holds, if any.
	Role Role
	// Description is the Markdown for the docs.
	Description string
	// Absent, when set, overrides the service's Absent for this field.
	Absent *Absent
	// Example is the value the emulator writes for a plain string field
	// (a fake id is written when empty), or the key of its one entry for a
	// Map.
	Example string
	// Derived fields are computed by the decoder, not read (phase).
	Derived bool
	// Rare fields are left out of the jobs the emulator makes up: the
	// service sends them only in answers the emulator does not model, such
	// as a code and a message set when an error occurs.
	Rare bool
}

// Name returns the field's Terraform attribute name.
func (f Field) Name() string {
	if f.Attr != "" {
		return f.Attr
	}
	return Snake(f.Key)
}

// Phase is a job status normalised across services.
type Phase string

// The phases a job goes through. Unknown is a status no API page documents.
const (
	Pending   Phase = "pending"
	Running   Phase = "running"
	Succeeded Phase = "succeeded"
	Failed    Phase = "failed"
	Unknown   Phase = "unknown"
)

// Finished reports whether a job in this phase will never change again.
func (p Phase) Finished() bool { return p == Succeeded || p == Failed }

// StatusPhase maps one status word, verbatim, to its phase.
type StatusPhase struct {
	Status string
	Phase  Phase
}

// Examples are the values the emulator gives the jobs it makes up.
type Examples struct {
	JobType, SubJobType     string
	ErrorCode, Reason       string // of a failed job
	SubErrorCode, SubReason string // of a failed sub-job
}

// Service describes one service's job API.
type Service struct {
	// Name is the service's part of the Terraform type names
	// (hwcjobs_<Name>_job), its key in the provider's endpoints and its
	// HW_<NAME>_ENDPOINT variable.
	Name string
	// Title is how people write the service's name.
	Title string
	// Host is the service's label in its endpoint host,
	// https://{Host}.{region}.{cloud}, and the official provider's
	// endpoint key when it differs from Name.
	Host string
	// Path is the API path with {project_id} and {job_id} placeholders.
	Path string
	// Envelope, when set, is the key of the body's object that holds the
	// job; RequestIDKey, when set, a top-level key holding the request id
	// (else the X-Request-Id header is used).
	Envelope, RequestIDKey string
	// TimeLayouts are the Go layouts the service writes times in, the
	// usual one first.
	TimeLayouts []string
	// HexIDs says job ids are 32 hex digits rather than UUIDs.
	HexIDs bool
	// Absent is how the service writes a value it does not have.
	Absent Absent
	// Statuses maps every documented status to its phase, in the order a
	// job goes through them.
	Statuses []StatusPhase
	// StatusHints explain, in a timeout error, what a job stuck in a status
	// may mean.
	StatusHints map[string]string
	// Fields describes the job; New adds a derived phase field to the job
	// and to each sub-job.
	Fields []Field
	// NotFound is the service's 404 body, with {job_id} and {request_id}
	// placeholders (filled JSON-escaped).
	NotFound string
	// Examples are the emulator's values for the jobs it makes up.
	Examples Examples
}

// seedFS holds the example job bodies of the API reference pages, verbatim:
// seeds/<name>.json, or seeds/<name>-<n>.json for more than one. Their
// decoded values, written down from the pages, are in
// internal/testsupport/seeds.
//
//go:embed seeds/*.json
var seedFS embed.FS

// seedFile matches a seed's file name: the service name, maybe a number.
var seedFile = regexp.MustCompile(`^([a-z0-9_]+?)(?:-[0-9]+)?\.json$`)

// Seed is one example body of a service's API page.
type Seed struct {
	File string
	Body []byte
}

// Seeds returns the service's example bodies, in file order.
func (s *Service) Seeds() []Seed {
	entries, err := seedFS.ReadDir("seeds")
	if err != nil {
		return nil
	}
	var out []Seed
	for _, e := range entries {
		if !seedFile.MatchString(e.Name()) || seedFile.FindStringSubmatch(e.Name())[1] != s.Name {
			continue
		}
		body, err := seedFS.ReadFile(path.Join("seeds", e.Name()))
		if err != nil {
			continue
		}
		out = append(out, Seed{File: e.Name(), Body: body})
	}
	return out
}

// New completes a service description: it adds a derived phase field to
// the job and to each sub-job.
func New(s Service) *Service {
	s.Fields = withPhase(&s, s.Fields)
	return &s
}

func withPhase(s *Service, fields []Field) []Field {
	out := slices.Clone(fields)
	for i, f := range out {
		if f.Kind == Object || f.Kind == List {
			out[i].Fields = withPhaseInside(s, f)
		}
	}
	return append(out, Field{
		Key: "phase", Kind: String, Derived: true,
		Description: "Computed by the provider from `" + RoleName(fields, Status) + "`: the status normalised across services, `pending`, `running`, `succeeded`, `failed`, or `unknown` for a status the API documentation does not list. " +
			s.Title + " statuses: " + s.StatusList() + ".",
	})
}

// withPhaseInside adds phase to the sub-job list wherever it is nested.
func withPhaseInside(s *Service, f Field) []Field {
	if f.Role == SubJobs {
		return withPhase(s, f.Fields)
	}
	out := slices.Clone(f.Fields)
	for i, sub := range out {
		if sub.Kind == Object || sub.Kind == List {
			out[i].Fields = withPhaseInside(s, sub)
		}
	}
	return out
}

// PhaseOf returns the phase of a status word, Unknown when undocumented.
func (s *Service) PhaseOf(status string) Phase {
	for _, sp := range s.Statuses {
		if sp.Status == status {
			return sp.Phase
		}
	}
	return Unknown
}

// StatusIn returns the first documented status of phase p.
func (s *Service) StatusIn(p Phase) string {
	for _, sp := range s.Statuses {
		if sp.Phase == p {
			return sp.Status
		}
	}
	return ""
}

// StatusList lists the documented status words of the service, for docs and
// messages.
func (s *Service) StatusList() string {
	words := make([]string, len(s.Statuses))
	for i, sp := range s.Statuses {
		words[i] = fmt.Sprintf("`%s` (%s)", sp.Status, sp.Phase)
	}
	return strings.Join(words, ", ")
}

// EndpointKeys returns the keys the provider's endpoints map takes for the
// service: its name, and its host label when that differs (the official
// provider's spelling, e.g. sfs-turbo).
func (s *Service) EndpointKeys() []string {
	if s.Host != s.Name {
		return []string{s.Name, s.Host}
	}
	return []string{s.Name}
}

// EnvVar is the variable that overrides the service's endpoint.
func (s *Service) EnvVar() string { return "HW_" + strings.ToUpper(s.Name) + "_ENDPOINT" }

// RolePath returns the field path (JSON keys) of the field with role r in
// a job object described by fields, not looking inside sub-jobs; nil when
// there is none.
func RolePath(fields []Field, r Role) []Field {
	for _, f := range fields {
		if f.Role == r {
			return []Field{f}
		}
	}
	for _, f := range fields {
		if f.Kind == Object {
			if p := RolePath(f.Fields, r); p != nil {
				return append([]Field{f}, p...)
			}
		}
	}
	return nil
}

// RoleName returns the attribute path (dotted) of the field with role r in
// a job object described by fields, "" when there is none.
func RoleName(fields []Field, r Role) string {
	p := RolePath(fields, r)
	names := make([]string, len(p))
	for i, f := range p {
		names[i] = f.Name()
	}
	return strings.Join(names, ".")
}

// Check reports what makes a description unusable: no id or status, two
// fields with one attribute name, an attribute a job's arguments already
// use, a path without its placeholders.
func (s *Service) Check() error {
	if s.Name == "" || s.Title == "" || s.Host == "" {
		return fmt.Errorf("service %q: name, title and host are required", s.Name)
	}
	if Snake(s.Name) != s.Name {
		return fmt.Errorf("service %q: the name must be snake_case", s.Name)
	}
	if !strings.Contains(s.Path, "{project_id}") || !strings.Contains(s.Path, "{job_id}") {
		return fmt.Errorf("service %s: path %q lacks {project_id} or {job_id}", s.Name, s.Path)
	}
	if len(s.TimeLayouts) == 0 || len(s.Statuses) == 0 {
		return fmt.Errorf("service %s: time layouts and statuses are required", s.Name)
	}
	for _, ph := range []Phase{Pending, Running, Succeeded, Failed} {
		if s.StatusIn(ph) == "" {
			return fmt.Errorf("service %s: no status of phase %s", s.Name, ph)
		}
	}
	for _, name := range []string{"region", "project_id", "request_id", "timeouts", "triggers", "allow_failure", "id"} {
		for _, f := range s.Fields {
			if f.Name() == name {
				return fmt.Errorf("service %s: field %s takes the name of an argument; give it another Attr", s.Name, f.Key)
			}
		}
	}
	return checkJob(s.Name, "", s.Fields)
}

func checkJob(svc, at string, fields []Field) error {
	for _, r := range []Role{ID, Status} {
		if RolePath(fields, r) == nil {
			return fmt.Errorf("service %s: job object %q has no field of role %d", svc, at, r)
		}
	}
	return checkFields(svc, at, fields)
}

func checkFields(svc, at string, fields []Field) error {
	seen := map[string]bool{}
	for _, f := range fields {
		if seen[f.Name()] {
			return fmt.Errorf("service %s: %s%s is declared twice", svc, at, f.Name())
		}
		seen[f.Name()] = true
		var err error
		switch {
		case f.Role == SubJobs:
			err = checkJob(svc, at+f.Name()+"[].", f.Fields)
		case f.Kind == Object || f.Kind == List:
			err = checkFields(svc, at+f.Name()+".", f.Fields)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Snake converts a JSON key to an attribute name: apiVersion → api_version,
// clusterUID → cluster_uid, creationTimestamp → creation_timestamp,
// sfs-turbo → sfs_turbo.
func Snake(key string) string {
	rs := []rune(key)
	var b strings.Builder
	for i, r := range rs {
		switch {
		case r == '-' || r == ' ':
			b.WriteByte('_')
		case unicode.IsUpper(r):
			// A word starts at an upper-case letter after a lower-case one
			// or a digit, or before a lower-case one inside an acronym.
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
				(unicode.IsUpper(rs[i-1]) && i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// AbsentOf returns how the service writes field f when it has no value.
func (s *Service) AbsentOf(f Field) Absent {
	if f.Absent != nil {
		return *f.Absent
	}
	return s.Absent
}

// Writes is shorthand for a Field.Absent override.
func Writes(a Absent) *Absent { return &a }
