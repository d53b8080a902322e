package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// The sub-commands talk to a running emulator's admin API, so that nobody
// writes its JSON by hand.
var commands map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error

func init() {
	commands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error{
		"create":   cmdCreate,
		"fail":     cmdFail,
		"advance":  cmdAdvance,
		"clock":    cmdClock,
		"jobs":     cmdJobs,
		"expire":   cmdExpire,
		"counters": cmdCounters,
		"routes":   cmdRoutes,
	}
}

// admin is a client of one emulator's admin API.
type admin struct {
	base   string
	client *http.Client
}

// flags returns a flag set for sub-command name with -url.
func flags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("hwcjobs-emulator "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	u := fs.String("url", os.Getenv(URLEnv), "the emulator's base URL (default $"+URLEnv+", which the emulator prints)")
	return fs, u
}

// newAdmin checks that raw is a loopback http(s) URL: the sub-commands
// never talk to anything else.
func newAdmin(raw string) (*admin, error) {
	if raw == "" {
		return nil, fmt.Errorf("no emulator URL: pass -url or set %s (the emulator prints the line to paste)", URLEnv)
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("emulator URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("emulator URL %q: want http:// or https://", raw)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("emulator URL %q: the emulator listens on loopback only", raw)
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		Proxy: nil, // never through a proxy
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
				return nil, fmt.Errorf("refusing to dial %s: not loopback", addr)
			}
			return dialer.DialContext(ctx, network, addr)
		},
		// The emulator's certificate is self-signed and made at start; the
		// URL is loopback.
		TLSClientConfig: insecureTLS(),
	}
	return &admin{base: u.String(), client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}, nil
}

// call sends body (JSON-encoded unless it is []byte) to the admin route
// and decodes the answer into out; an answer of 4xx or 5xx is an error
// carrying the emulator's message.
func (a *admin) call(ctx context.Context, method, route string, body, out any) error {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	// a.base is a loopback URL (newAdmin), and the transport dials nothing else.
	req, err := http.NewRequestWithContext(ctx, method, a.base+"/_emulator/"+route, rd) //nolint:gosec // see above

	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req) //nolint:gosec // loopback only, as above
	if err != nil {
		return fmt.Errorf("is the emulator running? %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return fmt.Errorf("%s: %s", resp.Status, e.Error)
		}
		return fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(data))
	}
	if out == nil || len(data) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("the emulator's answer: %w", err)
	}
	return nil
}

// parse parses args and builds the client; no positional arguments
// beyond want are accepted.
func parse(fs *flag.FlagSet, u *string, args []string, want int) (*admin, error) {
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > want {
		return nil, fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(want))
	}
	return newAdmin(*u)
}

func cmdCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, u := flags("create", stderr)
	svc := fs.String("service", "", "the service: ecs, elb, sdrs, sfs_turbo, ... (GET /_emulator/ lists them)")
	id := fs.String("id", "", "the job id (default: a new UUID)")
	jobType := fs.String("type", "", "the job type (default: the service's usual one)")
	duration := fs.Duration("duration", 3*time.Second, "how long the job runs: pending at 0, running at a third, finished at the end")
	timeline := fs.String("timeline", "", "the statuses and when each starts, overriding -duration: INIT=0s,RUNNING=2s,SUCCESS=1m")
	fail := fs.Bool("fail", false, "end in the service's failed status rather than its succeeded one")
	code := fs.String("code", "", "the error code once failed (implies -fail)")
	reason := fs.String("reason", "", "the failure reason once failed (implies -fail)")
	subJobs := fs.Int("sub-jobs", 0, "the number of sub-jobs, following the job's timeline")
	notFound := fs.Int("not-found-reads", 0, "answer 404 to the first N reads, as a job not visible yet")
	file := fs.String("file", "", "a JSON file with a job spec or a list of them (the admin API's JobSpec), instead of the flags")
	a, err := parse(fs, u, args, 0)
	if err != nil {
		return err
	}
	var body []byte
	if *file != "" {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		delete(set, "file")
		delete(set, "url")
		if len(set) > 0 {
			return errors.New("create: -file takes the whole spec; leave out the other flags")
		}
		body, err = os.ReadFile(*file)
		if err != nil {
			return fmt.Errorf("create: %w", err)
		}
		if _, _, err := emulator.ParseJobSpecs(body); err != nil {
			return fmt.Errorf("create: %s: %w", *file, err)
		}
	} else {
		if *svc == "" {
			return errors.New("create: -service is required (hwcjobs-emulator routes lists the services)")
		}
		info, err := a.service(ctx, *svc)
		if err != nil {
			return fmt.Errorf("create: %w", err)
		}
		spec, err := specFromFlags(info, *id, *jobType, *duration, *timeline, *fail || *code != "" || *reason != "", *code, *reason, *subJobs, *notFound)
		if err != nil {
			return fmt.Errorf("create: %w", err)
		}
		body, _ = json.Marshal(spec)
	}
	var out struct {
		JobID  string   `json:"job_id"`
		JobIDs []string `json:"job_ids"`
	}
	if err := a.call(ctx, http.MethodPost, "jobs", body, &out); err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if out.JobID != "" {
		out.JobIDs = []string{out.JobID}
	}
	for _, id := range out.JobIDs {
		fmt.Fprintln(stdout, id)
	}
	return nil
}

// jobSpec is the admin API's JobSpec as the create flags fill it.
type jobSpec struct {
	Service       string    `json:"service"`
	JobID         string    `json:"job_id,omitempty"`
	JobType       string    `json:"job_type,omitempty"`
	Timeline      []step    `json:"timeline,omitempty"`
	ErrorCode     string    `json:"error_code,omitempty"`
	FailReason    string    `json:"fail_reason,omitempty"`
	SubJobs       []subSpec `json:"sub_jobs,omitempty"`
	NotFoundReads int       `json:"not_found_reads,omitempty"`
}

type step struct {
	Status string `json:"status"`
	After  string `json:"after"`
}

type subSpec struct{}

func specFromFlags(info *emulator.ServiceInfo, id, jobType string, duration time.Duration, timeline string, fail bool, code, reason string, subJobs, notFound int) (jobSpec, error) {
	switch {
	case duration < 0:
		return jobSpec{}, fmt.Errorf("-duration %s is negative", duration)
	case subJobs < 0:
		return jobSpec{}, fmt.Errorf("-sub-jobs %d is negative", subJobs)
	case notFound < 0:
		return jobSpec{}, fmt.Errorf("-not-found-reads %d is negative", notFound)
	}
	spec := jobSpec{Service: info.Name, JobID: id, JobType: jobType, ErrorCode: code, FailReason: reason, NotFoundReads: notFound}
	if timeline != "" {
		for i, part := range strings.Split(timeline, ",") {
			status, after, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok || status == "" {
				return jobSpec{}, fmt.Errorf("-timeline step %d %q: want STATUS=AFTER, e.g. RUNNING=2s", i, part)
			}
			d, err := time.ParseDuration(after)
			if err != nil {
				return jobSpec{}, fmt.Errorf("-timeline step %d (%s): %w", i, status, err)
			}
			if d < 0 {
				return jobSpec{}, fmt.Errorf("-timeline step %d (%s): negative duration %s", i, status, d)
			}
			spec.Timeline = append(spec.Timeline, step{Status: status, After: d.String()})
		}
	} else {
		end := service.Succeeded
		if fail {
			end = service.Failed
		}
		spec.Timeline = []step{
			{statusIn(info, service.Pending), "0s"},
			{statusIn(info, service.Running), (duration / 3).String()},
			{statusIn(info, end), duration.String()},
		}
	}
	for range subJobs {
		spec.SubJobs = append(spec.SubJobs, subSpec{})
	}
	return spec, nil
}

// index reads GET /_emulator/.
func (a *admin) index(ctx context.Context) (emulator.Index, error) {
	var out emulator.Index
	err := a.call(ctx, http.MethodGet, "", nil, &out)
	return out, err
}

// service finds a served service by name or host label.
func (a *admin) service(ctx context.Context, name string) (*emulator.ServiceInfo, error) {
	idx, err := a.index(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(idx.Services))
	for i, s := range idx.Services {
		if s.Name == name || s.Host == name {
			return &idx.Services[i], nil
		}
		names[i] = s.Name
	}
	return nil, fmt.Errorf("unknown service %q (want one of %s)", name, strings.Join(names, ", "))
}

// statusIn is the service's first status of phase p.
func statusIn(info *emulator.ServiceInfo, p service.Phase) string {
	for _, st := range info.Statuses {
		if st.Phase == p {
			return st.Status
		}
	}
	return ""
}

func cmdFail(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, u := flags("fail", stderr)
	svc := fs.String("service", "", "the job's service")
	id := fs.String("id", "", "the job id (a timed job that has not finished)")
	code := fs.String("code", "", "the error code (default: the service's example)")
	reason := fs.String("reason", "", "the failure reason (default: the service's example)")
	a, err := parse(fs, u, args, 0)
	if err != nil {
		return err
	}
	if *svc == "" || *id == "" {
		return errors.New("fail: -service and -id are required")
	}
	var out struct {
		Status string `json:"status"`
	}
	req := map[string]string{"service": *svc, "job_id": *id, "error_code": *code, "fail_reason": *reason}
	if err := a.call(ctx, http.MethodPost, "fail", req, &out); err != nil {
		return fmt.Errorf("fail: %w", err)
	}
	fmt.Fprintf(stdout, "%s job %s: %s\n", *svc, *id, out.Status)
	return nil
}

func cmdAdvance(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, u := flags("advance", stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: hwcjobs-emulator advance [-url URL] DURATION (e.g. 30s, 5m)") }
	for _, arg := range args { // -1m would otherwise be taken for a flag
		if d, err := time.ParseDuration(arg); err == nil && d < 0 {
			return fmt.Errorf("advance: %s is negative: the job clock only moves forward", d)
		}
	}
	a, err := parse(fs, u, args, 1)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("advance: want one duration, e.g. advance 30s")
	}
	d, err := time.ParseDuration(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("advance: %w", err)
	}
	if d < 0 {
		return fmt.Errorf("advance: %s is negative: the job clock only moves forward", d)
	}
	var out struct {
		Now string `json:"now"`
	}
	if err := a.call(ctx, http.MethodPost, "clock", map[string]string{"advance": d.String()}, &out); err != nil {
		return fmt.Errorf("advance: %w", err)
	}
	fmt.Fprintln(stdout, out.Now)
	return nil
}

func cmdClock(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, u := flags("clock", stderr)
	a, err := parse(fs, u, args, 0)
	if err != nil {
		return err
	}
	var out struct {
		Now    string `json:"now"`
		Manual bool   `json:"manual"`
	}
	if err := a.call(ctx, http.MethodGet, "clock", nil, &out); err != nil {
		return fmt.Errorf("clock: %w", err)
	}
	kind := "running"
	if out.Manual {
		kind = "manual"
	}
	fmt.Fprintf(stdout, "%s (%s)\n", out.Now, kind)
	return nil
}

func cmdJobs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, u := flags("jobs", stderr)
	svc := fs.String("service", "", "only this service's jobs")
	a, err := parse(fs, u, args, 0)
	if err != nil {
		return err
	}
	var out []map[string]string
	if err := a.call(ctx, http.MethodGet, "jobs", nil, &out); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	want := strings.ReplaceAll(*svc, "-", "_")
	for _, j := range out {
		if want == "" || j["service"] == want {
			fmt.Fprintf(stdout, "%-10s %s\n", j["service"], j["job_id"])
		}
	}
	return nil
}

func cmdExpire(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, u := flags("expire", stderr)
	svc := fs.String("service", "", "the job's service")
	id := fs.String("id", "", "the job id")
	a, err := parse(fs, u, args, 0)
	if err != nil {
		return err
	}
	if *svc == "" || *id == "" {
		return errors.New("expire: -service and -id are required")
	}
	if err := a.call(ctx, http.MethodPost, "expire", map[string]string{"service": *svc, "job_id": *id}, nil); err != nil {
		return fmt.Errorf("expire: %w", err)
	}
	fmt.Fprintf(stdout, "%s job %s expired\n", *svc, *id)
	return nil
}

func cmdCounters(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, u := flags("counters", stderr)
	reset := fs.Bool("reset", false, "set every counter back to zero")
	raw := fs.Bool("raw", false, "include every raw request")
	a, err := parse(fs, u, args, 0)
	if err != nil {
		return err
	}
	if *reset {
		if err := a.call(ctx, http.MethodDelete, "counters", nil, nil); err != nil {
			return fmt.Errorf("counters: %w", err)
		}
		fmt.Fprintln(stdout, "counters reset")
		return nil
	}
	var out map[string]any
	if err := a.call(ctx, http.MethodGet, "counters", nil, &out); err != nil {
		return fmt.Errorf("counters: %w", err)
	}
	if !*raw {
		delete(out, "raw_requests")
	}
	data, _ := json.MarshalIndent(out, "", "  ")
	fmt.Fprintln(stdout, string(data))
	return nil
}

func cmdRoutes(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, u := flags("routes", stderr)
	a, err := parse(fs, u, args, 0)
	if err != nil {
		return err
	}
	out, err := a.index(ctx)
	if err != nil {
		return fmt.Errorf("routes: %w", err)
	}
	for _, r := range out.Routes {
		fmt.Fprintf(stdout, "%-6s %-22s %s\n", r.Method, r.Path, r.Doc)
	}
	fmt.Fprintln(stdout, "services:")
	for _, s := range out.Services {
		words := make([]string, len(s.Statuses))
		for i, st := range s.Statuses {
			words[i] = st.Status + " (" + string(st.Phase) + ")"
		}
		fmt.Fprintf(stdout, "  %-10s %s\n", s.Name, strings.Join(words, ", "))
	}
	fmt.Fprintf(stdout, "docs: %s\n", out.Docs)
	return nil
}

// insecureTLS accepts the emulator's self-signed certificate: the
// sub-commands only ever dial loopback.
func insecureTLS() *tls.Config {
	return &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12} //nolint:gosec // loopback only, certificate made at the emulator's start
}
