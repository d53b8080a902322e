package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"
)

// FaultKind says how a faulty answer misbehaves.
type FaultKind string

// The fault kinds.
const (
	// FaultStatus answers Fault.Status (default 503) with a gateway-style
	// body (429: APIGW.0308) and, if set, Retry-After.
	FaultStatus FaultKind = "status"
	// FaultNotFound answers the service's own 404.
	FaultNotFound FaultKind = "not_found"
	// FaultSlow waits Fault.Delay, then answers normally; it gives up if
	// the client goes away first.
	FaultSlow FaultKind = "slow"
	// FaultDrop closes the connection without an answer.
	FaultDrop FaultKind = "drop"
	// FaultDropMidBody sends the headers and half the normal body, then
	// closes the connection.
	FaultDropMidBody FaultKind = "drop_mid_body"
	// FaultTruncate answers 200 with the first half of the normal body.
	FaultTruncate FaultKind = "truncate"
	// FaultMalformed answers 200 with a body that is not JSON.
	FaultMalformed FaultKind = "malformed"
	// FaultWrongShape answers 200 with valid JSON of the wrong shape.
	FaultWrongShape FaultKind = "wrong_shape"
)

// Fault is a misbehaviour injected into matching requests.
type Fault struct {
	// Service limits the fault to one service (a name such as sfs_turbo,
	// or its host label, or iam); empty matches every job API request but
	// not IAM.
	Service string
	// JobID limits the fault to one job; empty matches any.
	JobID string
	Kind  FaultKind
	// Count is how many matching requests the fault hits: 0 means 1, a
	// negative count means every one until the faults are cleared.
	// Faults are consumed in the order they were injected.
	Count int
	// Status is FaultStatus's code (default 503).
	Status int
	// RetryAfter is sent verbatim as Retry-After with FaultStatus, if set.
	RetryAfter string
	// Delay is FaultSlow's wait.
	Delay time.Duration
}

type faultJSON struct {
	Service    string          `json:"service,omitempty"`
	JobID      string          `json:"job_id,omitempty"`
	Kind       FaultKind       `json:"kind"`
	Count      int             `json:"count,omitempty"`
	Status     int             `json:"status,omitempty"`
	RetryAfter string          `json:"retry_after,omitempty"`
	Delay      json.RawMessage `json:"delay,omitempty"`
}

// MarshalJSON writes delay as a Go duration string.
func (f Fault) MarshalJSON() ([]byte, error) {
	j := faultJSON{f.Service, f.JobID, f.Kind, f.Count, f.Status, f.RetryAfter, nil}
	if f.Delay != 0 {
		j.Delay = mustJSON(f.Delay.String())
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads delay as a Go duration string or a number of seconds.
func (f *Fault) UnmarshalJSON(b []byte) error {
	var j faultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	d, err := parseDurationJSON(j.Delay)
	if err != nil {
		return fmt.Errorf("fault delay: %w", err)
	}
	*f = Fault{j.Service, j.JobID, j.Kind, j.Count, j.Status, j.RetryAfter, d}
	return nil
}

func (s *Server) validate(f *Fault) error {
	switch f.Kind {
	case FaultStatus, FaultNotFound, FaultSlow, FaultDrop, FaultDropMidBody, FaultTruncate, FaultMalformed, FaultWrongShape:
	default:
		return fmt.Errorf("unknown fault kind %q", f.Kind)
	}
	if f.Service != "" && f.Service != "iam" {
		svc, err := s.service(f.Service)
		if err != nil {
			return err
		}
		f.Service = svc.Name
	}
	if f.Kind == FaultStatus && f.Status == 0 {
		f.Status = http.StatusServiceUnavailable
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		return fmt.Errorf("bad status %d", f.Status)
	}
	if f.Count == 0 {
		f.Count = 1
	}
	return nil
}

func (f *Fault) matches(rt route) bool {
	switch rt.kind {
	case routeIAM:
		if f.Service != "iam" {
			return false
		}
	case routeJob:
		if f.Service != "" && f.Service != rt.svc.Name {
			return false
		}
	default:
		return false
	}
	return f.JobID == "" || f.JobID == rt.jobID
}

// InjectFault adds f behind the faults already waiting.
func (s *Server) InjectFault(f Fault) error {
	if err := s.validate(&f); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
	return nil
}

// ClearFaults drops every waiting fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Faults returns the faults still waiting, with their remaining counts.
func (s *Server) Faults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Fault, 0, len(s.faults))
	for _, f := range s.faults {
		out = append(out, *f)
	}
	return out
}

// takeFault consumes one hit of the oldest fault matching rt.
func (s *Server) takeFault(rt route) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if !f.matches(rt) {
			continue
		}
		got := *f
		if f.Count > 0 {
			f.Count--
			if f.Count == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return got, true
	}
	return Fault{}, false
}

// RateLimit is a token bucket over every API request; RPS 0 turns it off.
type RateLimit struct {
	RPS   float64 `json:"rps"`
	Burst int     `json:"burst"`
}

// SetRateLimit replaces the request-rate limit.
func (s *Server) SetRateLimit(rl RateLimit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = rl
	if rl.RPS <= 0 {
		s.limiter = nil
		return
	}
	burst := rl.Burst
	if burst <= 0 {
		burst = max(1, int(rl.RPS))
	}
	s.limiter = rate.NewLimiter(rate.Limit(rl.RPS), burst)
}

// throttled reports whether the rate limit refuses this request, and the
// answer to give if so.
func (s *Server) throttled(requestID string) (answer, bool) {
	s.mu.Lock()
	lim, rl := s.limiter, s.rateLimit
	s.mu.Unlock()
	if lim == nil || lim.Allow() {
		return answer{}, false
	}
	msg := "The throttling threshold has been reached: policy user over ratelimit,limit:" +
		strconv.FormatFloat(rl.RPS, 'f', -1, 64) + ",time:1 second"
	return answer{
		status: http.StatusTooManyRequests,
		body:   gatewayError("APIGW.0308", msg, requestID),
		header: map[string]string{"Retry-After": "1"},
	}, true
}

// statusFault builds FaultStatus's answer, in the gateway's words.
func statusFault(f Fault, requestID string) answer {
	code, msg := "APIGW.0201", "Request error"
	switch {
	case f.Status == http.StatusTooManyRequests:
		code, msg = "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second"
	case f.Status == http.StatusGatewayTimeout:
		code, msg = "APIGW.0202", "Backend timeout"
	case f.Status == http.StatusBadGateway || f.Status == http.StatusServiceUnavailable:
		code, msg = "APIGW.0203", "Backend unavailable"
	case f.Status >= 500:
		code, msg = "APIGW.0103", "The backend service encountered an internal error"
	}
	a := answer{status: f.Status, body: gatewayError(code, msg, requestID)}
	if f.RetryAfter != "" {
		a.header = map[string]string{"Retry-After": f.RetryAfter}
	}
	return a
}

// sleep waits d or until ctx is done, reporting whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
