package emulator

import (
	"maps"
	"net/http"
	"sync"
)

// maxRawRequests bounds the raw request log so that a long demo does not
// grow without end; RawDropped counts what was left out.
const maxRawRequests = 100000

// Counters tell tests and benchmarks what the emulator was asked. Admin
// routes (/_emulator/...) are never counted.
type Counters struct {
	// Requests is the number of API requests received.
	Requests int `json:"requests"`
	// Paths counts requests per request path as received (decoded),
	// service prefix included, e.g. /ecs/v1/0605.../jobs/4010....
	Paths map[string]int `json:"paths"`
	// Jobs counts requests per job, keyed service + "/" + job id, whatever
	// their outcome (401, faults and 404 included); see JobReads.
	Jobs map[string]int `json:"jobs"`
	// Statuses counts answers per HTTP status code; 0 counts connections
	// dropped, or abandoned by the client, without an answer.
	Statuses map[int]int `json:"statuses"`
	// IAMCalls counts requests to the IAM project look-up.
	IAMCalls int `json:"iam_calls"`
	// Projects counts project ids seen in job paths.
	Projects map[string]int `json:"projects"`
	// RawRequests lists every request in arrival order, as it came on the
	// wire, for tests of path escaping.
	RawRequests []RawRequest `json:"raw_requests"`
	// RawDropped counts requests left out of RawRequests once it was full.
	RawDropped int `json:"raw_dropped,omitempty"`
}

// RawRequest is one request as received.
type RawRequest struct {
	Method string `json:"method"`
	// EscapedPath is the path as sent (r.URL.EscapedPath()).
	EscapedPath string `json:"escaped_path"`
	// RequestURI is the unmodified request target (r.RequestURI).
	RequestURI string `json:"request_uri"`
}

// JobReads returns how many requests were made for service's job jobID.
func (c Counters) JobReads(service, jobID string) int {
	return c.Jobs[service+"/"+jobID]
}

type counters struct {
	mu sync.Mutex
	c  Counters
}

func newCounters() *counters {
	cs := &counters{}
	cs.reset()
	return cs
}

func (cs *counters) reset() {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.c = Counters{
		Paths:       map[string]int{},
		Jobs:        map[string]int{},
		Statuses:    map[int]int{},
		Projects:    map[string]int{},
		RawRequests: []RawRequest{},
	}
}

func (cs *counters) request(r *http.Request, rt route) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c := &cs.c
	c.Requests++
	c.Paths[r.URL.Path]++
	switch rt.kind {
	case routeJob:
		c.Jobs[rt.svc.Name+"/"+rt.jobID]++
		c.Projects[rt.projectID]++
	case routeIAM:
		c.IAMCalls++
	}
	if len(c.RawRequests) < maxRawRequests {
		c.RawRequests = append(c.RawRequests, RawRequest{Method: r.Method, EscapedPath: r.URL.EscapedPath(), RequestURI: r.RequestURI})
	} else {
		c.RawDropped++
	}
}

func (cs *counters) status(code int) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.c.Statuses[code]++
}

func (cs *counters) snapshot() Counters {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c := cs.c
	c.Paths = maps.Clone(c.Paths)
	c.Jobs = maps.Clone(c.Jobs)
	c.Statuses = maps.Clone(c.Statuses)
	c.Projects = maps.Clone(c.Projects)
	c.RawRequests = append([]RawRequest{}, c.RawRequests...)
	return c
}
