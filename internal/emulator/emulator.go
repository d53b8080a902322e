// Package emulator is a local Huawei Cloud for the hwcjobs provider: it
// speaks the job APIs of the services it is built from (their
// descriptions in internal/service) and the IAM project look-up, on
// loopback, so that the provider can be run and tested without an account.
//
// One port serves every service under its host label as a path prefix
// (/ecs, /elb, /sdrs, /sfs-turbo, /iam); the provider's endpoints point
// there, prefix included. Handler serves one service (or IAM) at the root
// with no prefix, as the cloud does on each service's own host, for
// clients such as the official SDKs that keep only an endpoint's host;
// ListenPerService puts each on a port of its own. Every handler shares the
// one job table, verifier, faults and counters. Requests must be signed
// (SDK-HMAC-SHA256) or carry a token, and are checked by a verifier of the
// emulator's own.
// Admin routes live under /_emulator/ and need no authentication.
//
// Every emulator starts with the example jobs of each service's API page
// (SeedJobID), one frozen job per documented status (FixedJobID, e.g.
// "ecs-pending-payment", "elb-rollback-fail", "sfs-turbo-failed") and the
// special jobs "<host>-undocumented", "-malformed", "-wrong-shape",
// "-nulls" and "-empty-subjobs". Timed jobs (CreateJob) move along a
// timeline on the job clock and expire TTL after they finish.
//
// The emulator imports only the service descriptions from this
// repository, never the client, so that it checks the provider's client
// rather than agreeing with it.
package emulator

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
	"golang.org/x/time/rate"
)

// Project is an IAM project the emulator knows; its Name is a region.
type Project struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id,omitempty"`
}

// Default project layout: DefaultRegion resolves to DefaultProjectID, its
// sub-project DevProjectName to DevProjectID (account.go), and
// AmbiguousRegion has two projects of that name (an error for clients).
const (
	DefaultRegion    = "cn-north-4"
	DefaultProjectID = "0605767ea300d5762fd2c0070d1a2b3c"
	DefaultDomainID  = "d78cbac186b744899480f25bd022f468"
	AmbiguousRegion  = "ambiguous-1"
)

// DefaultProjects returns the projects an emulator knows unless told
// otherwise.
func DefaultProjects() []Project {
	return []Project{
		{ID: DefaultProjectID, Name: DefaultRegion, DomainID: DefaultDomainID},
		{ID: "1a1a1a1a1a1a4a1a8a1a1a1a1a1a1a1a", Name: AmbiguousRegion, DomainID: DefaultDomainID},
		{ID: "2b2b2b2b2b2b4b2b8b2b2b2b2b2b2b2b", Name: AmbiguousRegion, DomainID: DefaultDomainID},
		{ID: DevProjectID, Name: DevProjectName, DomainID: DefaultDomainID},
	}
}

// Options configure a Server. The zero value is a working emulator with the
// demo credentials, default projects, real time and a 24h TTL.
type Options struct {
	// Services are the job APIs served; nil means service.All().
	Services []*service.Service
	// Credentials maps access keys to their secrets; nil means only
	// DemoAccessKey/DemoSecretKey.
	Credentials map[string]Credential
	// Tokens are the valid X-Auth-Token values; nil means only DemoAuthToken.
	Tokens []string
	// Projects answer the IAM look-up; nil means DefaultProjects().
	Projects []Project
	// JobClock drives the job lifecycle; nil means RealClock.
	JobClock Clock
	// VerifierClock is the clock X-Sdk-Date is checked against; nil means
	// time.Now. It is separate from JobClock on purpose.
	VerifierClock func() time.Time
	// TTL is how long a timed job is kept after it finished, on the job
	// clock; 0 means 24h. Seed and fixed jobs never expire.
	TTL time.Duration
	// RateLimit limits API requests; the zero value is no limit.
	RateLimit RateLimit
	// Logf, if set, receives one line per request.
	Logf func(format string, args ...any)
}

// Server is the emulator; it is an http.Handler.
type Server struct {
	services []*service.Service
	verifier *verifier
	clock    Clock
	ttl      time.Duration
	projects []Project
	logf     func(format string, args ...any)
	counters *counters

	mu        sync.Mutex
	jobs      map[string]map[string]*job // service → job id → job
	faults    []*Fault
	limiter   *rate.Limiter
	rateLimit RateLimit
}

// New returns an emulator holding the seed and fixed jobs.
func New(opts Options) *Server {
	v := &verifier{creds: opts.Credentials, tokens: opts.Tokens, now: opts.VerifierClock}
	if v.creds == nil {
		v.creds = map[string]Credential{DemoAccessKey: {SecretKey: DemoSecretKey}}
	}
	if v.tokens == nil {
		v.tokens = []string{DemoAuthToken}
	}
	if v.now == nil {
		v.now = time.Now
	}
	s := &Server{
		services: opts.Services,
		verifier: v,
		clock:    opts.JobClock,
		ttl:      opts.TTL,
		projects: opts.Projects,
		logf:     opts.Logf,
		counters: newCounters(),
		jobs:     map[string]map[string]*job{},
	}
	if s.clock == nil {
		s.clock = RealClock{}
	}
	if s.ttl <= 0 {
		s.ttl = 24 * time.Hour
	}
	if s.projects == nil {
		s.projects = DefaultProjects()
	}
	if s.services == nil {
		s.services = service.All()
	}
	for _, svc := range s.services {
		s.jobs[svc.Name] = map[string]*job{}
		fixed, err := fixedJobs(svc)
		if err != nil {
			panic(fmt.Sprintf("emulator: %s: %v", svc.Name, err)) // a broken description, not a runtime condition
		}
		for _, j := range fixed {
			s.jobs[svc.Name][j.id] = j
		}
	}
	s.SetRateLimit(opts.RateLimit)
	return s
}

// CreateJob adds a job that moves through spec's timeline, starting now on
// the job clock, and returns its id.
func (s *Server) CreateJob(spec JobSpec) (string, error) {
	svc, err := s.service(spec.Service)
	if err != nil {
		return "", err
	}
	t, err := newTimedJob(svc, spec, s.clock.Now())
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.jobs[svc.Name][t.spec.JobID]; taken {
		return "", fmt.Errorf("%s job %s: %w", svc.Name, t.spec.JobID, ErrJobExists)
	}
	s.jobs[svc.Name][t.spec.JobID] = &job{svc: svc, id: t.spec.JobID, timed: t}
	return t.spec.JobID, nil
}

// Services returns the services the emulator serves.
func (s *Server) Services() []*service.Service { return s.services }

// service finds a served service by name (sfs_turbo) or host label
// (sfs-turbo).
func (s *Server) service(name string) (*service.Service, error) {
	names := make([]string, len(s.services))
	for i, svc := range s.services {
		if svc.Name == name || svc.Host == name {
			return svc, nil
		}
		names[i] = svc.Name
	}
	return nil, fmt.Errorf("unknown service %q (want one of %s)", name, strings.Join(names, ", "))
}

// Expire forgets a job at once, as the service does a day after it
// finished. It reports whether the job existed.
func (s *Server) Expire(service, jobID string) bool {
	svc, err := s.service(service)
	if err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.jobs[svc.Name][jobID]
	delete(s.jobs[svc.Name], jobID)
	return ok
}

// Counters returns a copy of the request counters.
func (s *Server) Counters() Counters { return s.counters.snapshot() }

// ResetCounters sets every counter back to zero.
func (s *Server) ResetCounters() { s.counters.reset() }

// answer is a response not yet written, so that faults can mangle it.
type answer struct {
	status int
	body   []byte
	header map[string]string
}

type routeKind int

const (
	routeUnknown routeKind = iota
	routeJob
	routeIAM
)

type route struct {
	kind      routeKind
	iamPrefix string // "/iam" on the shared port, "" on IAM's own
	svc       *service.Service
	projectID string
	jobID     string
}

// scope is what one handler serves: every service under its prefix (the
// zero value), or one service, or IAM, at the root.
type scope struct {
	svc *service.Service
	iam bool
}

// prefixed reports whether paths start with the service's host label.
func (sc scope) prefixed() bool { return sc.svc == nil && !sc.iam }

// asPrefixed returns r as the shared port would have received it (its path
// behind the service's prefix), so that IAM's own port answers the
// securitytokens route and deny rules match on every port alike.
func (sc scope) asPrefixed(r *http.Request) *http.Request {
	if sc.prefixed() {
		return r
	}
	prefix := "/" + IAMName
	if sc.svc != nil {
		prefix = "/" + sc.svc.Host
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = prefix + r.URL.Path
	r2.URL.RawPath = ""
	return r2
}

// IAMName is the name Handler and ListenPerService give the IAM project
// look-up.
const IAMName = "iam"

// Handler returns an http.Handler that serves one service's job API (by
// name, sfs_turbo, or host label, sfs-turbo), or IAM's project look-up
// (IAMName), at the root with no path prefix: GET /v1/{project_id}/jobs/{job_id}
// rather than /ecs/v1/.... It shares the server's jobs, verifier, faults,
// rate limit and counters, and also answers the admin routes.
func (s *Server) Handler(name string) (http.Handler, error) {
	if name == IAMName {
		return scopedHandler{s, scope{iam: true}}, nil
	}
	svc, err := s.service(name)
	if err != nil {
		return nil, err
	}
	return scopedHandler{s, scope{svc: svc}}, nil
}

type scopedHandler struct {
	s  *Server
	sc scope
}

func (h scopedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.s.serveScoped(w, r, h.sc) }

// parseRoute matches the path segment by segment, decoding each on its
// own so that an escaped "/" stays inside its segment.
func (s *Server) parseRoute(r *http.Request, sc scope) route {
	raw := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	segs := make([]string, len(raw))
	for i, seg := range raw {
		dec, err := url.PathUnescape(seg)
		if err != nil {
			return route{}
		}
		segs[i] = dec
	}
	if sc.prefixed() {
		if len(segs) == 3 && segs[0] == "iam" && segs[1] == "v3" && segs[2] == "projects" {
			return route{kind: routeIAM, iamPrefix: "/iam"}
		}
	} else {
		if sc.iam {
			if len(segs) == 2 && segs[0] == "v3" && segs[1] == "projects" {
				return route{kind: routeIAM, iamPrefix: ""}
			}
			return route{}
		}
		// The service's own port: its path at the root, behind an empty
		// prefix so that the match below is the same.
		segs = append([]string{sc.svc.Host}, segs...)
	}
	services := s.services
	if sc.svc != nil {
		services = []*service.Service{sc.svc}
	}
	for _, svc := range services {
		pattern := strings.Split(strings.TrimPrefix(svc.Path, "/"), "/")
		if len(segs) != len(pattern)+1 || segs[0] != svc.Host {
			continue
		}
		rt := route{kind: routeJob, svc: svc}
		for i, want := range pattern {
			got := segs[i+1]
			switch want {
			case "{project_id}":
				rt.projectID = got
			case "{job_id}":
				rt.jobID = got
			default:
				if got != want {
					rt.kind = routeUnknown
				}
			}
			if got == "" {
				rt.kind = routeUnknown
			}
		}
		if rt.kind == routeJob {
			return rt
		}
	}
	return route{}
}

const (
	authFailMsg = "Incorrect IAM authentication information: verify aksk signature fail"
	noAPIMsg    = "The API does not exist or has not been published in the environment"
)

// ServeHTTP answers one request: admin routes, else rate limit, auth,
// faults, and the API itself, every service under its prefix.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.serveScoped(w, r, scope{}) }

func (s *Server) serveScoped(w http.ResponseWriter, r *http.Request, sc scope) {
	requestID := newRequestID()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", requestID)
	if strings.HasPrefix(r.URL.Path, adminPrefix) || r.URL.Path+"/" == adminPrefix {
		s.serveAdmin(w, r)
		return
	}
	if s.serveMetadata(w, r) {
		return
	}

	rt := s.parseRoute(r, sc)
	s.counters.request(r, rt)
	if a, limited := s.throttled(requestID); limited {
		s.reply(w, r, a)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxSignedBody+1))
	if err != nil || len(body) > maxSignedBody {
		s.reply(w, r, answer{status: http.StatusBadRequest, body: gatewayError("APIGW.0201", "Request body unreadable or too large", requestID)})
		return
	}
	if err := s.verifier.verify(r, body); err != nil {
		s.reply(w, r, s.authFailure(err, requestID))
		return
	}
	if a, ok := s.accountAnswer(sc.asPrefixed(r), body, requestID); ok {
		s.reply(w, r, a)
		return
	}
	if f, ok := s.takeFault(rt); ok && s.applyFault(w, r, rt, f, requestID) {
		return
	}
	s.reply(w, r, s.answer(r, rt, requestID))
}

// applyFault answers according to f and reports whether it did; a slow
// fault only waits and lets the request go on.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, rt route, f Fault, requestID string) bool {
	switch f.Kind {
	case FaultStatus:
		s.reply(w, r, statusFault(f, requestID))
	case FaultNotFound:
		s.reply(w, r, s.notFound(rt, requestID))
	case FaultSlow:
		if sleep(r.Context(), f.Delay) {
			return false
		}
		s.counters.status(0)
		s.log(r, 0)
	case FaultDrop:
		s.drop(w, r, nil)
	case FaultDropMidBody:
		s.drop(w, r, s.answer(r, rt, requestID).body)
	case FaultTruncate:
		a := s.answer(r, rt, requestID)
		s.reply(w, r, answer{status: http.StatusOK, body: a.body[:len(a.body)/2]})
	case FaultMalformed:
		s.reply(w, r, answer{status: http.StatusOK, body: []byte("<html>Bad gateway</html>")})
	case FaultWrongShape:
		s.reply(w, r, answer{status: http.StatusOK, body: []byte(`{"jobs":[]}`)})
	}
	return true
}

// drop closes the connection, after the headers and half of body if body
// is not nil (its Content-Length promises the whole).
func (s *Server) drop(w http.ResponseWriter, r *http.Request, body []byte) {
	s.counters.status(0)
	s.log(r, 0)
	hj, ok := w.(http.Hijacker)
	if !ok {
		abort(w, body) // HTTP/2 (over TLS) has no connection to hand over
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		abort(w, body)
	}
	defer conn.Close()
	if body == nil {
		return
	}
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: %s\r\nContent-Length: %d\r\n\r\n",
		w.Header().Get("X-Request-Id"), len(body))
	_, _ = buf.Write(body[:len(body)/2]) // the client is about to lose the connection anyway
	_ = buf.Flush()
}

// abort is drop without a connection of its own: it sends the headers and
// half of body if body is not nil, then aborts the answer (net/http closes
// an HTTP/1 connection, resets an HTTP/2 stream) without a log line.
func abort(w http.ResponseWriter, body []byte) {
	if body != nil {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/2])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	panic(http.ErrAbortHandler)
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request, a answer) {
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(a.status)
	w.Write(a.body)
	s.counters.status(a.status)
	s.log(r, a.status)
}

func (s *Server) log(r *http.Request, status int) {
	if s.logf != nil {
		s.logf("%s %s -> %d", r.Method, r.URL.RequestURI(), status)
	}
}

// answer is the API's own answer to an authenticated request.
func (s *Server) answer(r *http.Request, rt route, requestID string) answer {
	if rt.kind == routeUnknown || r.Method != http.MethodGet {
		return answer{status: http.StatusNotFound, body: gatewayError("APIGW.0101", noAPIMsg, requestID)}
	}
	if rt.kind == routeIAM {
		return s.iamProjects(r, rt.iamPrefix)
	}
	body, ok := s.readJob(rt, requestID)
	if !ok {
		return s.notFound(rt, requestID)
	}
	return answer{status: http.StatusOK, body: body}
}

func (s *Server) notFound(rt route, requestID string) answer {
	if rt.kind != routeJob {
		return answer{status: http.StatusNotFound, body: []byte(`{"error":{"code":404,"message":"Could not find project.","title":"Not Found"}}`)}
	}
	return answer{status: http.StatusNotFound, body: notFoundBody(rt.svc, rt.jobID, requestID)}
}

// readJob renders the job as it stands now; false means 404 (unknown,
// expired, or not yet visible).
func (s *Server) readJob(rt route, requestID string) ([]byte, bool) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.jobs[rt.svc.Name][rt.jobID]
	switch {
	case j == nil:
		return nil, false
	case j.raw != nil:
		return j.raw, true
	case j.fixed != nil:
		return render(rt.svc, j.fixed, rt.projectID, requestID), true
	}
	snap, final := j.timed.snapshot(rt.svc, now)
	if final && !now.Before(snap.end.Add(s.ttl)) {
		delete(s.jobs[rt.svc.Name], rt.jobID)
		return nil, false
	}
	if j.timed.notFoundLeft > 0 {
		j.timed.notFoundLeft--
		return nil, false
	}
	return render(rt.svc, &snap, rt.projectID, requestID), true
}

// iamProjects answers GET /v3/projects[?name=region] in Keystone's shape.
func (s *Server) iamProjects(r *http.Request, prefix string) answer {
	type links struct {
		Self     string  `json:"self"`
		Previous *string `json:"previous"`
		Next     *string `json:"next"`
	}
	type project struct {
		DomainID    string `json:"domain_id"`
		IsDomain    bool   `json:"is_domain"`
		ParentID    string `json:"parent_id"`
		Name        string `json:"name"`
		Description string `json:"description"`
		Links       links  `json:"links"`
		ID          string `json:"id"`
		Enabled     bool   `json:"enabled"`
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + r.Host + prefix + "/v3/projects"
	q := r.URL.Query()
	out := struct {
		Links    links     `json:"links"`
		Projects []project `json:"projects"`
	}{Links: links{Self: base}, Projects: []project{}}
	if r.URL.RawQuery != "" {
		out.Links.Self += "?" + r.URL.RawQuery
	}
	for _, p := range s.projects {
		if q.Has("name") && q.Get("name") != p.Name {
			continue
		}
		out.Projects = append(out.Projects, project{
			DomainID: p.DomainID, ParentID: p.DomainID, Name: p.Name,
			Links: links{Self: base + "/" + p.ID}, ID: p.ID, Enabled: true,
		})
	}
	return answer{status: http.StatusOK, body: mustJSON(out)}
}

// gatewayError is the API gateway's error body.
func gatewayError(code, msg, requestID string) []byte {
	return mustJSON(struct {
		ErrorMsg  string `json:"error_msg"`
		ErrorCode string `json:"error_code"`
		RequestID string `json:"request_id"`
	}{msg, code, requestID})
}

// ListenAndServe serves plain HTTP on addr, which must name a loopback host
// ("127.0.0.1:0" picks a free port; an empty host means 127.0.0.1), until
// ctx is done. It returns once listening, with the base URL and a channel
// that receives the server's end (nil after a clean shutdown).
func (s *Server) ListenAndServe(ctx context.Context, addr string) (baseURL string, done <-chan error, err error) {
	return s.serve(ctx, addr, nil)
}

// ListenAndServeTLS is ListenAndServe over HTTPS with cert, typically from
// SelfSignedCertificate; the base URL starts with https://.
func (s *Server) ListenAndServeTLS(ctx context.Context, addr string, cert tls.Certificate) (baseURL string, done <-chan error, err error) {
	return s.serve(ctx, addr, &cert)
}

func (s *Server) serve(ctx context.Context, addr string, cert *tls.Certificate) (baseURL string, done <-chan error, err error) {
	ln, err := listenLoopback(addr)
	if err != nil {
		return "", nil, err
	}
	return serveOn(ctx, ln, s, cert)
}

// Endpoint is one port of ListenPerService: what it serves (a service's
// name, or IAMName) and its base URL, with no path.
type Endpoint struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// DefaultBasePort is where ListenPerService starts unless told otherwise:
// IAM on it, then each service on the next port, in the order of the
// service list (ecs 18081, elb 18082, sdrs 18083, ... with service.All()).
const DefaultBasePort = 18080

// ListenPerService serves IAM on port base of host and each service on the
// following ports, in service order, each at the root with no path prefix
// (see Handler); base 0 picks any free ports. host must be loopback (""
// means 127.0.0.1). With cert the ports serve HTTPS. It returns once every
// port listens, IAM first, then the services; done receives the first end
// of any of them. Until ctx is done they all serve.
func (s *Server) ListenPerService(ctx context.Context, host string, base int, cert *tls.Certificate) (endpoints []Endpoint, done <-chan error, err error) {
	names := []string{IAMName}
	for _, svc := range s.services {
		names = append(names, svc.Name)
	}
	var lns []net.Listener
	for i, name := range names {
		port := 0
		if base != 0 {
			port = base + i
		}
		ln, err := listenLoopback(net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		lns = append(lns, ln)
	}
	all := make(chan error, len(names))
	for i, name := range names {
		h, err := s.Handler(name)
		if err != nil { // cannot happen: the names come from the list
			return nil, nil, err
		}
		url, ch, _ := serveOn(ctx, lns[i], h, cert)
		endpoints = append(endpoints, Endpoint{Name: name, URL: url})
		go func() { all <- <-ch }()
	}
	first := make(chan error, 1)
	go func() {
		var err error
		for range names {
			if e := <-all; e != nil && err == nil {
				err = e
			}
		}
		first <- err
	}()
	return endpoints, first, nil
}

// listenLoopback listens on addr, which must name a loopback host.
func listenLoopback(addr string) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("emulator address %q: %w", addr, err)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("emulator address %q: only loopback addresses are allowed", addr)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("emulator listen: %w", err)
	}
	return ln, nil
}

// serveOn serves h on ln until ctx is done.
func serveOn(ctx context.Context, ln net.Listener, h http.Handler, cert *tls.Certificate) (baseURL string, done <-chan error, err error) {
	scheme := "http"
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if cert != nil {
		scheme = "https"
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
		// A client that rejects the certificate ends the handshake; that
		// is the point of serving it, not worth a log line each time.
		srv.ErrorLog = log.New(io.Discard, "", 0)
	}
	ch := make(chan error, 1)
	go func() {
		var err error
		if cert != nil {
			err = srv.ServeTLS(ln, "", "")
		} else {
			err = srv.Serve(ln)
		}
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		ch <- err
	}()
	go func() { //nolint:gosec // ctx has ended when this runs: shutting down needs a deadline of its own
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(shutdown) != nil {
			srv.Close()
		}
	}()
	return scheme + "://" + ln.Addr().String(), ch, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// newRequestID is 32 lower-case hex digits, as Huawei Cloud's.
func newRequestID() string { return randomHex(16) }

func newUUID() string {
	h := randomHex(16)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}
