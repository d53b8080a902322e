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
)

// adminPrefix holds the routes that drive the emulator itself. No real API
// uses it; these routes need no authentication and are not counted.
//
//	POST   /_emulator/jobs       JobSpec or [JobSpec] → {"job_id"} or {"job_ids"}
//	GET    /_emulator/jobs       [{"service","job_id"}]
//	GET    /_emulator/clock      {"now"}
//	POST   /_emulator/clock      {"advance":"10s"} or {"set":"RFC 3339"} (ManualClock only)
//	POST   /_emulator/expire     {"service","job_id"}
//	GET    /_emulator/faults     [Fault]
//	POST   /_emulator/faults     Fault or [Fault]
//	DELETE /_emulator/faults
//	GET    /_emulator/ratelimit  RateLimit
//	POST   /_emulator/ratelimit  {"rps":10,"burst":10} (rps 0 = off)
//	GET    /_emulator/counters   Counters
//	DELETE /_emulator/counters   reset
//
// and the real-account routes of account.go (credentials, skew, agencies,
// metadata, deny).
const adminPrefix = "/_emulator/"

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
	route := r.Method + " " + strings.TrimPrefix(r.URL.Path, adminPrefix)
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return http.StatusBadRequest, nil, err
	}
	switch route {
	case "POST jobs":
		var specs []JobSpec
		single := !strings.HasPrefix(strings.TrimSpace(string(body)), "[")
		if single {
			specs = make([]JobSpec, 1)
			err = json.Unmarshal(body, &specs[0])
		} else {
			err = json.Unmarshal(body, &specs)
		}
		if err != nil {
			return http.StatusBadRequest, nil, fmt.Errorf("job spec: %w", err)
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

	case "GET clock":
		return http.StatusOK, map[string]string{"now": s.clock.Now().UTC().Format(time.RFC3339Nano)}, nil

	case "POST clock":
		mc, ok := s.clock.(*ManualClock)
		if !ok {
			return http.StatusConflict, nil, errors.New("the job clock is not a manual clock")
		}
		var req struct {
			Advance json.RawMessage `json:"advance"`
			Set     time.Time       `json:"set"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return http.StatusBadRequest, nil, err
		}
		d, err := parseDurationJSON(req.Advance)
		if err != nil {
			return http.StatusBadRequest, nil, err
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
