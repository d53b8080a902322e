package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// adminPrefix holds the routes that drive the emulator itself. No real API
// uses it; these routes need no authentication and are not counted.
// AdminRoutes lists them; GET /_emulator/ answers with that list, and
// internal/emulator/README.md documents each with an example.
const adminPrefix = "/_emulator/"

// AdminRoute is one route of the admin API, as GET /_emulator/ lists it.
type AdminRoute struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	// Body is what the route takes, Answer what it returns.
	Body   string `json:"body,omitempty"`
	Answer string `json:"answer"`
	Doc    string `json:"doc"`
}

// AdminRoutes are the admin API's routes, in the order the docs show them.
func AdminRoutes() []AdminRoute {
	return []AdminRoute{
		{"GET", adminPrefix, "", `{"routes":[AdminRoute],"services":[{"name","host","path","statuses":[{"status","phase"}]}],"docs"}`, "this list, and the services served with their statuses"},
		{"POST", adminPrefix + "jobs", "JobSpec or [JobSpec]", `201 {"job_id"} or {"job_ids"}; 400 bad spec; 409 id taken`, "create timed jobs that move through their timeline on the job clock"},
		{"GET", adminPrefix + "jobs", "", `[{"service","job_id"}]`, "list every job (seed, fixed and timed)"},
		{"POST", adminPrefix + "fail", `{"service","job_id","error_code","fail_reason"}`, `200 {"status"}; 404 no such job; 409 not a timed job, or finished`, "make a running timed job (and its unfinished sub-jobs) fail now with that code and reason"},
		{"POST", adminPrefix + "expire", `{"service","job_id"}`, "204; 404 no such job", "forget a job at once, as the service does a day after it finished"},
		{"GET", adminPrefix + "clock", "", `{"now","manual"}`, "the job clock"},
		{"POST", adminPrefix + "clock", `{"advance":"10s"} or {"set":"RFC 3339"}`, `200 {"now"}; 409 not a manual clock`, "move a manual job clock (hwcjobs-emulator -manual-clock)"},
		{"GET", adminPrefix + "faults", "", "[Fault]", "the faults waiting"},
		{"POST", adminPrefix + "faults", "Fault or [Fault]", "201 [Fault]", "inject faults into the next matching API requests"},
		{"DELETE", adminPrefix + "faults", "", "204", "clear every fault"},
		{"GET", adminPrefix + "ratelimit", "", "RateLimit", "the API rate limit"},
		{"POST", adminPrefix + "ratelimit", `{"rps":10,"burst":10}`, "200 RateLimit", "limit API requests (rps 0: no limit); over it, 429 APIGW.0308"},
		{"GET", adminPrefix + "counters", "", "Counters", "what the API was asked: requests per path, job, status, project; IAM calls"},
		{"DELETE", adminPrefix + "counters", "", "204", "reset the counters"},
		// The real-account routes (account.go).
		{"GET", adminPrefix + "credentials", "", "CredentialStats", "temporary keys issued (assume_role, metadata) and how they were used"},
		{"POST", adminPrefix + "credentials", `{"lifetime":"30s"}`, "204", "the lifetime of the temporary keys issued from now on (\"0s\": as requested)"},
		{"POST", adminPrefix + "skew", `{"offset":"1h"}`, "204", "move the gateway's clock ahead (negative: behind) of the real one"},
		{"POST", adminPrefix + "agencies", "[Agency] or null", "204", "the agencies assume_role accepts (null: the demo agency only)"},
		{"POST", adminPrefix + "metadata", `{"mode":"ok"|"not_found"|"garbage"}`, "204", "how the ECS metadata securitykey route answers"},
		{"POST", adminPrefix + "deny", "DenyRule", "204", "refuse matching requests with 403 APIGW.0302 and an encoded_authorization_message"},
		{"DELETE", adminPrefix + "deny", "", "204", "remove every deny rule"},
	}
}

// Index is the answer of GET /_emulator/.
type Index struct {
	Routes   []AdminRoute  `json:"routes"`
	Services []ServiceInfo `json:"services"`
	Docs     string        `json:"docs"`
}

// ServiceInfo is what a job spec needs to know of a service: its names and
// its statuses in order, each with its phase.
type ServiceInfo struct {
	Name     string       `json:"name"`
	Host     string       `json:"host"`
	Path     string       `json:"path"`
	Statuses []StatusInfo `json:"statuses"`
}

// StatusInfo is one documented status and its phase.
type StatusInfo struct {
	Status string        `json:"status"`
	Phase  service.Phase `json:"phase"`
}

func (s *Server) serviceInfo() []ServiceInfo {
	out := make([]ServiceInfo, len(s.services))
	for i, svc := range s.services {
		out[i] = ServiceInfo{Name: svc.Name, Host: svc.Host, Path: svc.Path}
		for _, sp := range svc.Statuses {
			out[i].Statuses = append(out[i].Statuses, StatusInfo{sp.Status, sp.Phase})
		}
	}
	return out
}

// AdminDocsURL is where the admin API is documented.
const AdminDocsURL = "https://github.com/hwcjobs/terraform-provider-hwcjobs/blob/main/internal/emulator/README.md"

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	status, out, err := s.admin(r)
	if err != nil {
		out = map[string]string{"error": err.Error()}
	}
	body := []byte{}
	if out != nil {
		body = mustJSON(out)
	}
	w.WriteHeader(status)
	w.Write(body) //nolint:gosec // G705: a JSON answer (Content-Type application/json), never rendered as HTML
}

func (s *Server) admin(r *http.Request) (int, any, error) {
	path := r.URL.Path
	if path+"/" == adminPrefix { // /_emulator is the index too
		path = adminPrefix
	}
	route := r.Method + " " + strings.TrimPrefix(path, adminPrefix)
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return http.StatusBadRequest, nil, err
	}
	switch route {
	case "GET ":
		return http.StatusOK, Index{Routes: AdminRoutes(), Services: s.serviceInfo(), Docs: AdminDocsURL}, nil

	case "POST jobs":
		specs, single, err := ParseJobSpecs(body)
		if err != nil {
			return http.StatusBadRequest, nil, err
		}
		var ids []string
		for _, spec := range specs {
			id, err := s.CreateJob(spec)
			if errors.Is(err, ErrJobExists) {
				return http.StatusConflict, nil, err
			}
			if err != nil {
				return http.StatusBadRequest, nil, err
			}
			ids = append(ids, id)
		}
		if single {
			return http.StatusCreated, map[string]string{"job_id": ids[0]}, nil
		}
		return http.StatusCreated, map[string][]string{"job_ids": ids}, nil

	case "GET jobs":
		return http.StatusOK, s.jobList(), nil

	case "POST fail":
		var req struct {
			Service    string `json:"service"`
			JobID      string `json:"job_id"`
			ErrorCode  string `json:"error_code"`
			FailReason string `json:"fail_reason"`
		}
		if err := strictJSON(body, &req); err != nil {
			return http.StatusBadRequest, nil, fmt.Errorf("fail: %w", err)
		}
		status, err := s.FailJob(req.Service, req.JobID, req.ErrorCode, req.FailReason)
		switch {
		case errors.Is(err, errNoJob):
			return http.StatusNotFound, nil, err
		case errors.Is(err, errNotTimed), errors.Is(err, errFinished):
			return http.StatusConflict, nil, err
		case err != nil:
			return http.StatusBadRequest, nil, err
		}
		return http.StatusOK, map[string]string{"status": status}, nil

	case "GET clock":
		_, manual := s.clock.(*ManualClock)
		return http.StatusOK, map[string]any{"now": s.clock.Now().UTC().Format(time.RFC3339Nano), "manual": manual}, nil

	case "POST clock":
		mc, ok := s.clock.(*ManualClock)
		if !ok {
			return http.StatusConflict, nil, errors.New("the job clock is not a manual clock")
		}
		var req struct {
			Advance json.RawMessage `json:"advance"`
			Set     time.Time       `json:"set"`
		}
		if err := strictJSON(body, &req); err != nil {
			return http.StatusBadRequest, nil, fmt.Errorf("clock: %w", err)
		}
		d, err := parseDurationJSON(req.Advance)
		if err != nil {
			return http.StatusBadRequest, nil, fmt.Errorf("clock advance: %w", err)
		}
		if d < 0 {
			return http.StatusBadRequest, nil, fmt.Errorf("clock advance %s is negative: jobs never go back in time (use set)", d)
		}
		if !req.Set.IsZero() {
			mc.Set(req.Set)
		}
		mc.Advance(d)
		return http.StatusOK, map[string]string{"now": mc.Now().UTC().Format(time.RFC3339Nano)}, nil

	case "POST expire":
		var req struct {
			Service string `json:"service"`
			JobID   string `json:"job_id"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return http.StatusBadRequest, nil, err
		}
		if !s.Expire(req.Service, req.JobID) {
			return http.StatusNotFound, nil, fmt.Errorf("no %s job %q", req.Service, req.JobID)
		}
		return http.StatusNoContent, nil, nil

	case "GET faults":
		return http.StatusOK, s.Faults(), nil

	case "POST faults":
		var faults []Fault
		if strings.HasPrefix(strings.TrimSpace(string(body)), "[") {
			err = json.Unmarshal(body, &faults)
		} else {
			faults = make([]Fault, 1)
			err = json.Unmarshal(body, &faults[0])
		}
		if err != nil {
			return http.StatusBadRequest, nil, fmt.Errorf("fault: %w", err)
		}
		for _, f := range faults {
			if err := s.InjectFault(f); err != nil {
				return http.StatusBadRequest, nil, err
			}
		}
		return http.StatusCreated, s.Faults(), nil

	case "DELETE faults":
		s.ClearFaults()
		return http.StatusNoContent, nil, nil

	case "GET ratelimit":
		s.mu.Lock()
		defer s.mu.Unlock()
		return http.StatusOK, s.rateLimit, nil

	case "POST ratelimit":
		var rl RateLimit
		if err := json.Unmarshal(body, &rl); err != nil {
			return http.StatusBadRequest, nil, err
		}
		s.SetRateLimit(rl)
		return http.StatusOK, rl, nil

	case "GET counters":
		return http.StatusOK, s.Counters(), nil

	case "DELETE counters":
		s.ResetCounters()
		return http.StatusNoContent, nil, nil
	}
	if status, out, ok, err := s.accountAdmin(route, body); ok {
		return status, out, err
	}
	return http.StatusNotFound, nil, fmt.Errorf("no admin route %s %s", r.Method, r.URL.Path)
}

func (s *Server) jobList() []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]string
	for svc, jobs := range s.jobs {
		for id := range jobs {
			out = append(out, map[string]string{"service": svc, "job_id": id})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i]["service"] != out[j]["service"] {
			return out[i]["service"] < out[j]["service"]
		}
		return out[i]["job_id"] < out[j]["job_id"]
	})
	return out
}

// ParseJobSpecs reads one JobSpec, or a JSON list of them, as POST
// /_emulator/jobs and -jobs files take them; single says it was one. An
// unknown key is an error, so that a misspelt field is not ignored.
func ParseJobSpecs(data []byte) (specs []JobSpec, single bool, err error) {
	trimmed := strings.TrimSpace(string(data))
	single = !strings.HasPrefix(trimmed, "[")
	if single {
		specs = make([]JobSpec, 1)
		err = strictJSON(data, &specs[0])
	} else {
		err = strictJSON(data, &specs)
	}
	if err != nil {
		return nil, false, fmt.Errorf("job spec: %w", err)
	}
	if len(specs) == 0 {
		return nil, false, errors.New("job spec: an empty list")
	}
	return specs, single, nil
}

// strictJSON decodes one JSON value into v, refusing unknown keys and
// trailing data.
func strictJSON(data []byte, v any) error {
	if len(strings.TrimSpace(string(data))) == 0 {
		return errors.New("empty body")
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}
