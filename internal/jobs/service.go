// Package jobs describes Huawei Cloud's asynchronous job APIs without any
// Terraform types: for each service, its API path, the fields of its job (a
// table the provider builds its schemas from), its status → phase table and
// how it writes times. It also decodes job bodies and owns the poller that
// waits for a job to finish.
//
// Adding a service is one new file here that declares a Service and lists it
// in All.
package jobs

import (
	"fmt"
	"strings"
)

// Kind is the type of one job field.
type Kind int

// The kinds of job fields.
const (
	String Kind = iota // a JSON string; "" is null
	Int                // a JSON integer
	Time               // a timestamp in the service's format, read as an RFC 3339 instant
	Object             // a JSON object, described by Field.Fields
	List               // a JSON array of objects, each described by Field.Fields
)

// Field describes one field of a job body: its JSON (and Terraform) name, its
// kind, a description for the docs and, for objects and lists, its fields.
type Field struct {
	Name string
	// JSON is the field's key in the body when it differs from Name (a
	// name Terraform already uses for an argument).
	JSON        string
	Kind        Kind
	Description string
	Fields      []Field
	// Derived fields are not read from the body but computed by the decoder
	// (phase).
	Derived bool
}

// Key returns the field's key in the job body.
func (f Field) Key() string {
	if f.JSON != "" {
		return f.JSON
	}
	return f.Name
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

// Service describes one service's job API.
type Service struct {
	// Name is the service's part of the Terraform type names:
	// hwcjobs_<Name>_job and hwcjobs_<Name>_job_wait.
	Name string
	// Title is how people write the service's name.
	Title string
	// Endpoint is the client's endpoint key for the service.
	Endpoint string
	// Path is the API path with {project_id} and {job_id} placeholders.
	Path string
	// Envelope, when set, is the key of the body's object that holds the job.
	Envelope string
	// RequestIDField, when set, is a top-level body field holding the
	// request id (else the X-Request-Id header is used).
	RequestIDField string
	// ReasonField is the field that explains a failure (fail_reason or
	// error_msg).
	ReasonField string
	// Statuses maps every documented status to its phase, in the order a
	// job goes through them.
	Statuses []StatusPhase
	// StatusHints explain, in a timeout error, what a job stuck in a status
	// may mean.
	StatusHints map[string]string
	// Fields describes the job, with phase fields added by newService.
	Fields []Field
}

// All returns the services this provider knows, in a stable order.
func All() []*Service { return []*Service{ECS, ELB, SDRS, SFSTurbo} }

// PhaseOf returns the phase of a status word, Unknown when undocumented.
func (s *Service) PhaseOf(status string) Phase {
	for _, sp := range s.Statuses {
		if sp.Status == status {
			return sp.Phase
		}
	}
	return Unknown
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

// newService completes a service description: it adds a phase field beside
// every status field, so that the job and each sub-job carry one.
func newService(s Service) *Service {
	s.Fields = withPhase(s.Fields, &s)
	return &s
}

func withPhase(fields []Field, s *Service) []Field {
	out := make([]Field, 0, len(fields)+1)
	for _, f := range fields {
		f.Fields = withPhase(f.Fields, s)
		out = append(out, f)
		if f.Name == "status" {
			out = append(out, Field{
				Name: "phase", Kind: String, Derived: true,
				Description: "The status normalised across services: `pending`, `running`, `succeeded`, `failed`, or `unknown` for a status the API documentation does not list. " +
					s.Title + " statuses: " + s.StatusList() + ".",
			})
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Descriptions of the fields every job API shares.
const (
	descJobID     = "The ID of the job."
	descJobType   = "The type of the job, named after the API call that started it."
	descBeginTime = "When the job started, as an RFC 3339 timestamp."
	descEndTime   = "When the job finished, as an RFC 3339 timestamp; null while it runs."
	descErrorCode = "The error code of a failed job; null when it succeeded."
)

// jobFields returns the fields every job and sub-job has: status, job_id,
// job_type, begin_time, end_time, error_code and the reason field, with
// descriptions that name the service's statuses.
func jobFields(statusDesc, reasonField, reasonDesc string) []Field {
	return []Field{
		{Name: "job_id", Kind: String, Description: descJobID},
		{Name: "status", Kind: String, Description: statusDesc},
		{Name: "job_type", Kind: String, Description: descJobType},
		{Name: "begin_time", Kind: Time, Description: descBeginTime},
		{Name: "end_time", Kind: Time, Description: descEndTime},
		{Name: "error_code", Kind: String, Description: descErrorCode},
		{Name: reasonField, Kind: String, Description: reasonDesc},
	}
}

// stringFields returns string fields from name, description pairs.
func stringFields(pairs ...string) []Field {
	fields := make([]Field, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		fields = append(fields, Field{Name: pairs[i], Kind: String, Description: pairs[i+1]})
	}
	return fields
}
