package hwc_test

// The client's fault matrix, against the real emulator on 127.0.0.1: every
// fault the emulator can inject, once as a transient fault that clears
// (the read must succeed, after exactly the right number of attempts) and
// once as a permanent fault (the read must end in a clear error within the
// configured bounds, or after exactly one attempt when retries are off).
// Real time is used (the client's clock hooks are unexported), so the
// Retry-After values are one or two seconds and the cases run in parallel.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// faultEnv is one emulator behind its own loopback server and a client
// configured for it, with a transport the test can close.
type faultEnv struct {
	emu    *emulator.Server
	url    string
	client *hwc.Client
	tr     *http.Transport
}

// newFaultEnv starts an emulator and a client for it. keepAlive false (the
// default of the matrix) gives every attempt its own connection, so that
// Go's transport never silently re-sends a GET whose reused connection was
// dropped, and the emulator's counters equal the client's attempts.
func newFaultEnv(t *testing.T, maxRetries int, requestTimeout time.Duration, keepAlive bool) *faultEnv {
	t.Helper()
	emu := emulator.New(emulator.Options{})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	tr := &http.Transport{DisableKeepAlives: !keepAlive}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := hwc.New(hwc.Config{
		Region:         emulator.DefaultRegion,
		ProjectID:      emulator.DefaultProjectID,
		AccessKey:      emulator.DemoAccessKey,
		SecretKey:      emulator.DemoSecretKey,
		Endpoints:      emulatorEndpoints(srv.URL),
		MaxRetries:     maxRetries,
		RequestTimeout: requestTimeout,
		Transport:      tr,
	})
	if err != nil {
		t.Fatalf("hwc.New: %v", err)
	}
	return &faultEnv{emu: emu, url: srv.URL, client: c, tr: tr}
}

// emulatorEndpoints points every service, and IAM, at an emulator.
func emulatorEndpoints(url string) map[string]string {
	endpoints := map[string]string{"iam": url + "/iam"}
	for _, svc := range service.All() {
		endpoints[svc.Name] = url + "/" + svc.Host
	}
	return endpoints
}

// newTLSFaultEnv is newFaultEnv over HTTPS with HTTP/2, the client
// trusting the emulator's self-signed certificate.
func newTLSFaultEnv(t *testing.T, maxRetries int) *faultEnv {
	t.Helper()
	emu := emulator.New(emulator.Options{})
	cert, err := emulator.SelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	base, done, err := emu.ListenAndServeTLS(ctx, "127.0.0.1:0", cert)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := hwc.New(hwc.Config{
		Region: emulator.DefaultRegion, ProjectID: emulator.DefaultProjectID,
		AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey,
		Endpoints:  map[string]string{"ecs": base + "/ecs"},
		MaxRetries: maxRetries, RequestTimeout: 2 * time.Second, Transport: tr,
	})
	if err != nil {
		t.Fatalf("hwc.New: %v", err)
	}
	return &faultEnv{emu: emu, url: base, client: c, tr: tr}
}

// seedJob is the seed example job of svc, which every emulator holds.
func seedJob(svc *service.Service) string { return emulator.SeedJobID(svc) }

// seedPhase is the phase of svc's seed job, as its API page shows it (EVS's
// and CCE's first examples are still running).
func seedPhase(t *testing.T, svc *service.Service) service.Phase {
	t.Helper()
	job, err := jobs.Decode(svc, svc.Seeds()[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	return job.Phase()
}

// find reads svc's seed job once through the client and the decoder.
func (e *faultEnv) find(svc *service.Service) (*jobs.Job, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return jobs.Find(ctx, e.client, svc, "", emulator.DefaultProjectID, seedJob(svc))
}

func (e *faultEnv) inject(t *testing.T, f emulator.Fault) {
	t.Helper()
	if err := e.emu.InjectFault(f); err != nil {
		t.Fatalf("InjectFault(%+v): %v", f, err)
	}
}

// jobPath is the path the client sends for svc's seed job.
func jobPath(svc *service.Service) string {
	return "/" + svc.Host + strings.NewReplacer("{project_id}", emulator.DefaultProjectID, "{job_id}", seedJob(svc)).Replace(svc.Path)
}

// transportFault is a fault the client itself must retry: a retryable
// status, a stall past the request timeout, or a broken connection.
type transportFault struct {
	name  string
	fault func() emulator.Fault // built when injected: an HTTP-date Retry-After is relative to now
	// clears is the Count of the transient variant.
	clears int
	// timeout is the client's request_timeout.
	timeout time.Duration
	// attemptCost is the longest one attempt should take.
	attemptCost time.Duration
	// minGap is the least time each retry must wait (a Retry-After).
	minGap time.Duration
	// maxGap bounds the wait before retry n (1-based).
	maxGap func(n int) time.Duration
	// check inspects the error of the permanent variant.
	check func(t *testing.T, err error, path string)
}

// jitterBound is the client's backoff ceiling before retry n without a
// Retry-After: full jitter in [0, 500ms·2^(n-1)].
func jitterBound(n int) time.Duration { return 500 * time.Millisecond << (n - 1) }

// checkStatus expects the gateway's error for status, as an *hwc.APIError
// that names the method, path, status, code and request id.
func checkStatus(status int, code string) func(*testing.T, error, string) {
	return func(t *testing.T, err error, path string) {
		t.Helper()
		var apiErr *hwc.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("want an *hwc.APIError, got %T: %v", err, err)
		}
		if apiErr.Status != status || apiErr.Code != code || apiErr.Path != path || apiErr.Method != http.MethodGet {
			t.Errorf("APIError %+v: want GET %s, HTTP %d %s", apiErr, path, status, code)
		}
		if apiErr.Message == "" || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(apiErr.RequestID) {
			t.Errorf("APIError %+v: want the gateway's message and request id", apiErr)
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("GET %s: HTTP %d %s: ", path, status, code)) {
			t.Errorf("error %q does not read GET <path>: HTTP <status> <code>: <message>", err)
		}
	}
}

func transportFaults() []transportFault {
	const fast = 2 * time.Second
	var out []transportFault
	add := func(name string, clears int, status int, retryAfter func() string, minGap time.Duration, maxGap func(int) time.Duration, code string) {
		out = append(out, transportFault{
			name: name, clears: clears, timeout: fast, attemptCost: 200 * time.Millisecond, minGap: minGap, maxGap: maxGap,
			fault: func() emulator.Fault {
				return emulator.Fault{Service: "ecs", Kind: emulator.FaultStatus, Status: status, RetryAfter: retryAfter()}
			},
			check: checkStatus(status, code),
		})
	}
	none := func() string { return "" }
	oneSecond := func(int) time.Duration { return time.Second }
	// The date has one-second resolution: two seconds ahead gives a first
	// wait in (1s, 2s], the later ones what is left of it.
	inTwoSeconds := func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }
	add("429 Retry-After seconds", 1, http.StatusTooManyRequests, func() string { return "1" }, 900*time.Millisecond, oneSecond, "APIGW.0308")
	add("429 Retry-After date", 1, http.StatusTooManyRequests, inTwoSeconds, 900*time.Millisecond, func(int) time.Duration { return 2 * time.Second }, "APIGW.0308")
	add("429 no Retry-After", 2, http.StatusTooManyRequests, none, 0, jitterBound, "APIGW.0308")
	add("500", 2, http.StatusInternalServerError, none, 0, jitterBound, "APIGW.0103")
	add("502", 2, http.StatusBadGateway, none, 0, jitterBound, "APIGW.0203")
	add("503", 2, http.StatusServiceUnavailable, none, 0, jitterBound, "APIGW.0203")
	add("504", 2, http.StatusGatewayTimeout, none, 0, jitterBound, "APIGW.0202")

	// Long enough that a loaded machine delivers each attempt to the server
	// before the client gives up on it.
	const short = 1500 * time.Millisecond
	out = append(out,
		transportFault{
			name: "slow beyond request_timeout", clears: 1, timeout: short, attemptCost: short, maxGap: jitterBound,
			fault: func() emulator.Fault {
				return emulator.Fault{Service: "ecs", Kind: emulator.FaultSlow, Delay: 10 * short}
			},
			check: func(t *testing.T, err error, path string) {
				t.Helper()
				if !errors.Is(err, hwc.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("want hwc.ErrTimeout (not the caller's deadline), got %v", err)
				}
				if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), short.String()) {
					t.Errorf("error %q should name the path and the request timeout", err)
				}
			},
		},
		transportFault{
			name: "dropped connection", clears: 2, timeout: fast, attemptCost: 200 * time.Millisecond, maxGap: jitterBound,
			fault: func() emulator.Fault { return emulator.Fault{Service: "ecs", Kind: emulator.FaultDrop} },
			check: func(t *testing.T, err error, path string) {
				t.Helper()
				if !strings.Contains(err.Error(), "GET http://127.0.0.1:") || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "EOF") {
					t.Errorf("error %q should name the method, URL and the broken connection", err)
				}
			},
		},
		transportFault{
			name: "dropped mid-body", clears: 2, timeout: fast, attemptCost: 200 * time.Millisecond, maxGap: jitterBound,
			fault: func() emulator.Fault { return emulator.Fault{Service: "ecs", Kind: emulator.FaultDropMidBody} },
			check: func(t *testing.T, err error, path string) {
				t.Helper()
				if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "reading the answer") || !strings.Contains(err.Error(), "unexpected EOF") {
					t.Errorf("error %q should name the path and the cut body", err)
				}
			},
		},
	)
	return out
}

// bodyFault is a 2xx whose body is not a job: the client returns it (a
// 2xx is an answer), and jobs.Decode refuses it.
type bodyFault struct {
	name string
	kind emulator.FaultKind
}

var bodyFaults = []bodyFault{
	{"truncated 200", emulator.FaultTruncate},
	{"non-JSON 200", emulator.FaultMalformed},
	{"wrong-shape 200", emulator.FaultWrongShape},
}

// TestFaultMatrix runs every fault, transient and permanent, with and
// without retries, then checks that no goroutine outlived the matrix. It
// is not parallel itself, so that no other test's goroutines come and go
// while it counts.
func TestFaultMatrix(t *testing.T) {
	before := goroutineIDs()
	t.Run("cases", func(t *testing.T) {
		// Every case runs at once: they mostly wait, and t.Parallel would
		// hold them to -parallel (GOMAXPROCS) at a time.
		var wg sync.WaitGroup
		defer wg.Wait()
		run := func(name string, fn func(t *testing.T)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				t.Run(name, fn)
			}()
		}
		for _, tf := range transportFaults() {
			run(tf.name+"/clears", func(t *testing.T) {
				e := newFaultEnv(t, 3, tf.timeout, false)
				f := tf.fault()
				f.Count = tf.clears
				e.inject(t, f)
				start := time.Now()
				job, err := e.find(service.ECS)
				elapsed := time.Since(start)
				if err != nil {
					t.Fatalf("a fault that clears after %d hits must end in success, got %v", tf.clears, err)
				}
				if job.Status() != "SUCCESS" {
					t.Errorf("status %q", job.Status())
				}
				c := e.emu.Counters()
				if got, want := c.JobReads("ecs", seedJob(service.ECS)), tf.clears+1; got != want {
					t.Errorf("the emulator saw %d attempts, want %d (%d faulty + 1)", got, want, tf.clears)
				}
				if c.Statuses[200] != 1 {
					t.Errorf("statuses %v: want exactly one 200", c.Statuses)
				}
				if least := time.Duration(tf.clears) * tf.minGap; elapsed < least {
					t.Errorf("took %s: the Retry-After asks for at least %s", elapsed, least)
				}
				if most := bound(tf, tf.clears+1); elapsed > most {
					t.Errorf("took %s, bound %s", elapsed, most)
				}
			})
			run(tf.name+"/permanent", func(t *testing.T) {
				const maxRetries = 2
				e := newFaultEnv(t, maxRetries, tf.timeout, false)
				f := tf.fault()
				f.Count = -1
				e.inject(t, f)
				start := time.Now()
				_, err := e.find(service.ECS)
				elapsed := time.Since(start)
				if err == nil {
					t.Fatal("a permanent fault must end in an error")
				}
				tf.check(t, err, jobPath(service.ECS))
				if !strings.Contains(err.Error(), fmt.Sprintf("(gave up after %d attempts)", maxRetries+1)) {
					t.Errorf("error %q should say how many attempts were made", err)
				}
				if got := e.attemptsSeen(maxRetries + 1); got != maxRetries+1 {
					t.Errorf("the emulator saw %d attempts, want %d", got, maxRetries+1)
				}
				if most := bound(tf, maxRetries+1); elapsed > most {
					t.Errorf("took %s, bound %s (max_retries %d, request_timeout %s)", elapsed, most, maxRetries, tf.timeout)
				}
			})
			run(tf.name+"/max_retries=0", func(t *testing.T) {
				e := newFaultEnv(t, 0, tf.timeout, false)
				f := tf.fault()
				f.Count = -1
				e.inject(t, f)
				start := time.Now()
				_, err := e.find(service.ECS)
				elapsed := time.Since(start)
				if err == nil {
					t.Fatal("want an error")
				}
				tf.check(t, err, jobPath(service.ECS))
				if strings.Contains(err.Error(), "gave up") {
					t.Errorf("error %q: one attempt is not giving up after several", err)
				}
				if got := e.attemptsSeen(1); got != 1 {
					t.Errorf("max_retries = 0: the emulator saw %d attempts, want exactly 1", got)
				}
				if most := tf.attemptCost + slack; elapsed > most {
					t.Errorf("took %s, bound %s", elapsed, most)
				}
			})
		}

		for _, bf := range bodyFaults {
			for _, svc := range service.All() {
				run(bf.name+"/"+svc.Name, func(t *testing.T) {
					for _, tc := range []struct {
						variant    string
						count      int
						maxRetries int
					}{{"clears", 1, 3}, {"permanent", -1, 2}, {"max_retries=0", -1, 0}} {
						e := newFaultEnv(t, tc.maxRetries, 2*time.Second, false)
						e.inject(t, emulator.Fault{Service: svc.Name, JobID: seedJob(svc), Kind: bf.kind, Count: tc.count})
						_, err := e.find(svc)
						if !errors.Is(err, jobs.ErrMalformed) {
							t.Fatalf("%s: want an error matching jobs.ErrMalformed, got %v", tc.variant, err)
						}
						// "GET <path> (request id <id>): decoding <Title> job: ..."
						want := regexp.MustCompile(`^GET ` + regexp.QuoteMeta(jobPath(svc)) + ` \(request id [0-9a-f]{32}\): decoding ` + regexp.QuoteMeta(svc.Title) + ` job: \S`)
						if !want.MatchString(err.Error()) {
							t.Errorf("%s: error %q should name the path, the request id and the service", tc.variant, err)
						}
						// A 2xx is an answer: the client never retries it,
						// whatever max_retries; re-reading is the waiter's call.
						if got := e.emu.Counters().JobReads(svc.Name, seedJob(svc)); got != 1 {
							t.Errorf("%s: the emulator saw %d attempts, want 1", tc.variant, got)
						}
						job, err := e.find(svc)
						switch {
						case tc.count > 0 && err != nil:
							t.Errorf("%s: once the fault cleared the read must succeed, got %v", tc.variant, err)
						case tc.count > 0 && job.Phase() != seedPhase(t, svc):
							t.Errorf("%s: phase %q", tc.variant, job.Phase())
						case tc.count < 0 && !errors.Is(err, jobs.ErrMalformed):
							t.Errorf("%s: the fault is permanent, the second read gave %v", tc.variant, err)
						}
					}
				})
			}
		}

		run("dropped on a reused keep-alive connection", func(t *testing.T) {
			// With keep-alives on, Go's transport may re-send a GET whose
			// reused connection closed before any answer byte, without the
			// client seeing an attempt: count at least, not exactly.
			e := newFaultEnv(t, 3, 2*time.Second, true)
			if _, err := e.find(service.ECS); err != nil {
				t.Fatal(err)
			}
			e.inject(t, emulator.Fault{Service: "ecs", Kind: emulator.FaultDrop, Count: 2})
			if _, err := e.find(service.ECS); err != nil {
				t.Fatalf("a drop that clears must end in success, got %v", err)
			}
			if got := e.emu.Counters().JobReads("ecs", seedJob(service.ECS)); got < 4 {
				t.Errorf("the emulator saw %d reads, want at least 1 + 2 dropped + 1", got)
			}
		})

		for _, kind := range []emulator.FaultKind{emulator.FaultDrop, emulator.FaultDropMidBody} {
			run(string(kind)+" over HTTPS (HTTP/2)", func(t *testing.T) {
				// HTTP/2 has no connection to drop: the emulator resets
				// the stream instead, a fault of its own for the client.
				e := newTLSFaultEnv(t, 3)
				e.inject(t, emulator.Fault{Service: "ecs", Kind: kind, Count: 2})
				if _, err := e.find(service.ECS); err != nil {
					t.Fatalf("a fault that clears must end in success, got %v", err)
				}
				if got := e.emu.Counters().JobReads("ecs", seedJob(service.ECS)); got != 3 {
					t.Errorf("the emulator saw %d attempts, want 3", got)
				}
			})
		}

		run("emulator rate limit 429 APIGW.0308", func(t *testing.T) {
			e := newFaultEnv(t, 8, 2*time.Second, false)
			// One request per 4 s, so that the second read meets the limit
			// however slowly this machine runs the first.
			e.emu.SetRateLimit(emulator.RateLimit{RPS: 0.25, Burst: 1})
			start := time.Now()
			for i := 0; i < 2; i++ {
				if _, err := e.find(service.ECS); err != nil {
					t.Fatalf("read %d: %v", i+1, err)
				}
			}
			c := e.emu.Counters()
			if c.Statuses[http.StatusTooManyRequests] < 1 || c.Statuses[200] != 2 {
				t.Errorf("statuses %v: want a 429 between two 200s", c.Statuses)
			}
			if elapsed := time.Since(start); elapsed < 900*time.Millisecond {
				t.Errorf("took %s: the limiter's Retry-After: 1 was not honoured", elapsed)
			}
		})
	})
	if leaked := waitForGoroutines(before, 5*time.Second); leaked != "" {
		t.Errorf("goroutines outlived the fault matrix:\n%s", leaked)
	}
}

// attemptsSeen is how many reads of the ECS seed job the emulator counted,
// waiting up to 3 s for want of them: on a loaded machine the client may
// give up on an attempt before the server has even begun it.
func (e *faultEnv) attemptsSeen(want int) int {
	got := 0
	for wait := time.Now().Add(3 * time.Second); time.Now().Before(wait); time.Sleep(20 * time.Millisecond) {
		if got = e.emu.Counters().JobReads("ecs", seedJob(service.ECS)); got >= want {
			break
		}
	}
	return got
}

// slack is what a loaded machine (the race detector, Terraform processes
// of other packages' tests beside these) may add to a read: these bounds
// catch a wait that is far too long, not one a little late.
const slack = 5 * time.Second

// bound is the longest a read with this many attempts may take: each
// attempt's cost, the largest wait before each retry, and slack.
func bound(tf transportFault, attempts int) time.Duration {
	d := time.Duration(attempts)*tf.attemptCost + slack
	for n := 1; n < attempts; n++ {
		d += tf.maxGap(n)
	}
	return d
}

// goroutineIDs lists the goroutines alive now, by id.
func goroutineIDs() map[string]bool {
	ids := map[string]bool{}
	for _, g := range goroutineStacks() {
		ids[goroutineID(g)] = true
	}
	return ids
}

func goroutineStacks() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Split(strings.TrimSpace(string(buf[:n])), "\n\n")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// goroutineID reads N from "goroutine N [state]:".
func goroutineID(stack string) string {
	f := strings.Fields(stack)
	if len(f) < 2 {
		return stack
	}
	return f[1]
}

// waitForGoroutines waits until every goroutine not in before has ended
// and returns the stacks of those still alive after d ("" if none). It is
// goleak.IgnoreCurrent without the dependency.
func waitForGoroutines(before map[string]bool, d time.Duration) string {
	deadline := time.Now().Add(d)
	for {
		var extra []string
		for _, g := range goroutineStacks() {
			if !before[goroutineID(g)] {
				extra = append(extra, g)
			}
		}
		if len(extra) == 0 {
			return ""
		}
		if time.Now().After(deadline) {
			return strings.Join(extra, "\n\n")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLeakCheckSeesALeak proves the leak check is not vacuous.
func TestLeakCheckSeesALeak(t *testing.T) {
	before := goroutineIDs()
	stop := make(chan struct{})
	go func() { <-stop }()
	if leaked := waitForGoroutines(before, 100*time.Millisecond); !strings.Contains(leaked, "TestLeakCheckSeesALeak") {
		t.Errorf("a blocked goroutine was not reported; got %q", leaked)
	}
	close(stop)
	if leaked := waitForGoroutines(before, 5*time.Second); leaked != "" {
		t.Errorf("after it ended: %s", leaked)
	}
}
