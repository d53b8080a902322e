package hwc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testAK     = "HWCJOBSTESTAK"
	testSK     = "hwcjobs-test-secret-key-do-not-log"
	testToken  = "hwcjobs-test-security-token-do-not-log"
	testRegion = "cn-north-4"
	testProj   = "0605767ea300d5762fd2c0070d1a2b3c"
)

var testNow = time.Date(2024, 1, 15, 8, 9, 10, 0, time.UTC)

// sleepLog replaces the client's sleep: it records each delay and returns
// at once, so retry tests take milliseconds and can assert exact delays.
type sleepLog struct {
	mu     sync.Mutex
	delays []time.Duration
}

func (s *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.delays = append(s.delays, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepLog) get() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.delays...)
}

// server is an httptest server on 127.0.0.1 that counts requests and
// checks every signature it receives, independently of the client's code
// path: it only trusts the header list named in Authorization.
type server struct {
	*httptest.Server
	calls atomic.Int64
	t     *testing.T
	mu    sync.Mutex
	last  *http.Request
}

func newServer(t *testing.T, h func(n int, w http.ResponseWriter, r *http.Request)) *server {
	t.Helper()
	s := &server{t: t}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.calls.Add(1))
		s.mu.Lock()
		s.last = r.Clone(context.Background())
		s.mu.Unlock()
		if r.Header.Get("Authorization") != "" {
			if err := verifySignature(r, testSK); err != nil {
				t.Errorf("request %d: %v", n, err)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
		}
		h(n, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) lastRequest() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// verifySignature recomputes the signature from the received request,
// keeping only the headers Authorization lists (Host from r.Host), the way
// the gateway's verifier does.
func verifySignature(r *http.Request, secretKey string) error {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, SigningAlgorithm+" ")
	if !ok {
		return fmt.Errorf("authorization %q: wrong algorithm", auth)
	}
	parts := map[string]string{}
	for _, p := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		parts[k] = v
	}
	listed := strings.Split(parts["SignedHeaders"], ";")
	rebuilt := &http.Request{Method: r.Method, URL: &url.URL{Path: r.URL.Path, RawQuery: r.URL.RawQuery}, Header: http.Header{}}
	for _, name := range listed {
		if name == "host" {
			rebuilt.Header.Set("Host", r.Host)
			continue
		}
		if r.Header.Values(name) == nil {
			return fmt.Errorf("signed header %q missing", name)
		}
		rebuilt.Header[http.CanonicalHeaderKey(name)] = r.Header.Values(name)
	}
	body, _ := io.ReadAll(r.Body)
	canon, signed := CanonicalRequest(rebuilt, body)
	if signed != parts["SignedHeaders"] {
		return fmt.Errorf("signed headers %q, rebuilt %q", parts["SignedHeaders"], signed)
	}
	want := Signature(StringToSign(canon, r.Header.Get(HeaderSdkDate)), secretKey)
	if parts["Signature"] != want {
		return fmt.Errorf("signature mismatch for canonical request %q", canon)
	}
	return nil
}

func allEndpoints(base string) map[string]string {
	return map[string]string{"ecs": base, "elb": base, "sdrs": base, "sfs_turbo": base, "iam": base}
}

// newTestClient builds a signing client pointed at base, with instant
// sleeps and a jitter that returns its ceiling, so delays are exact.
func newTestClient(t *testing.T, base string, edit func(*Config)) (*Client, *sleepLog) {
	t.Helper()
	cfg := Config{
		Region:         testRegion,
		ProjectID:      testProj,
		AccessKey:      testAK,
		SecretKey:      testSK,
		Endpoints:      allEndpoints(base),
		MaxRetries:     3,
		RequestTimeout: 5 * time.Second,
		Now:            func() time.Time { return testNow },
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	sl := &sleepLog{}
	c.sleep = sl.sleep
	c.jitter = func(ceiling time.Duration) time.Duration { return ceiling }
	c.clock = func() time.Time { return testNow }
	return c, sl
}

var jobRequest = Request{Service: "ecs", Path: "/v1/{project_id}/jobs/{job_id}", Params: map[string]string{"job_id": "j1"}}

func TestGetSuccess(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "rid-1")
		fmt.Fprint(w, `{"status":"SUCCESS"}`)
	})
	c, sl := newTestClient(t, srv.URL, nil)
	resp, err := c.Get(context.Background(), jobRequest)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || string(resp.Body) != `{"status":"SUCCESS"}` || resp.RequestID != "rid-1" || resp.Path != "/v1/"+testProj+"/jobs/j1" {
		t.Errorf("response %+v", resp)
	}
	r := srv.lastRequest()
	for name, want := range map[string]string{
		"X-Project-Id": testProj, "Content-Type": "application/json", "User-Agent": DefaultUserAgent, HeaderSdkDate: "20240115T080910Z",
	} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if !strings.Contains(r.Header.Get("Authorization"), "SignedHeaders=user-agent;x-project-id;x-sdk-date,") {
		t.Errorf("Authorization = %s", r.Header.Get("Authorization"))
	}
	if len(sl.get()) != 0 {
		t.Errorf("slept %v on a first-try success", sl.get())
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name, retryAfter string
		want             time.Duration
	}{
		{"seconds", "7", 7 * time.Second},
		{"zero seconds", "0", 0},
		{"http date", testNow.Add(12 * time.Second).Format(http.TimeFormat), 12 * time.Second},
		{"http date in the past", testNow.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"capped", "3600", retryAfterCap},
		{"garbage falls back to backoff", "soon", backoffBase},
		{"negative falls back to backoff", "-5", backoffBase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
				if n == 1 {
					w.Header().Set("Retry-After", tt.retryAfter)
					w.WriteHeader(http.StatusTooManyRequests)
					fmt.Fprint(w, `{"error_code":"APIGW.0308","error_msg":"throttled"}`)
					return
				}
				fmt.Fprint(w, `{}`)
			})
			c, sl := newTestClient(t, srv.URL, nil)
			if _, err := c.Get(context.Background(), jobRequest); err != nil {
				t.Fatal(err)
			}
			if got := sl.get(); len(got) != 1 || got[0] != tt.want {
				t.Errorf("slept %v, want [%v]", got, tt.want)
			}
			if srv.calls.Load() != 2 {
				t.Errorf("%d requests, want 2", srv.calls.Load())
			}
		})
	}
}

func TestRetriedStatusesBackOffExponentially(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(status)
			})
			c, sl := newTestClient(t, srv.URL, nil)
			_, err := c.Get(context.Background(), jobRequest)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Status != status {
				t.Fatalf("error %v, want an APIError with status %d", err, status)
			}
			if !strings.Contains(err.Error(), "gave up after 4 attempts") {
				t.Errorf("error %q does not say how often it tried", err)
			}
			if srv.calls.Load() != 4 {
				t.Errorf("%d requests, want 4 (MaxRetries 3)", srv.calls.Load())
			}
			want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}
			if got := sl.get(); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("backoff %v, want %v", got, want)
			}
		})
	}
}

func TestServiceUnavailableThenOK(t *testing.T) {
	srv := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	resp, err := c.Get(context.Background(), jobRequest)
	if err != nil || string(resp.Body) != `{"ok":true}` {
		t.Fatalf("Get = %v, %v", resp, err)
	}
	if srv.calls.Load() != 2 {
		t.Errorf("%d requests, want 2", srv.calls.Load())
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 302} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				if status == 302 {
					w.Header().Set("Location", "https://elsewhere.example.com/")
				}
				w.WriteHeader(status)
				fmt.Fprint(w, `{"code":"Ecs.0114","message":"nope"}`)
			})
			c, sl := newTestClient(t, srv.URL, nil)
			_, err := c.Get(context.Background(), jobRequest)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Status != status || apiErr.Code != "Ecs.0114" {
				t.Fatalf("error %v, want an APIError with status %d", err, status)
			}
			if IsNotFound(err) != (status == 404) {
				t.Errorf("IsNotFound = %v", IsNotFound(err))
			}
			if srv.calls.Load() != 1 || len(sl.get()) != 0 {
				t.Errorf("%d requests, sleeps %v; want exactly one request", srv.calls.Load(), sl.get())
			}
		})
	}
}

func TestMaxRetriesBoundsAttempts(t *testing.T) {
	for _, maxRetries := range []int{0, 1, 2, 5} {
		t.Run(fmt.Sprint(maxRetries), func(t *testing.T) {
			srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusServiceUnavailable)
			})
			c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = maxRetries })
			if _, err := c.Get(context.Background(), jobRequest); err == nil {
				t.Fatal("Get succeeded against a failing server")
			}
			if got := srv.calls.Load(); got != int64(maxRetries+1) {
				t.Errorf("%d requests, want %d", got, maxRetries+1)
			}
		})
	}
}

func TestRetryDelayCapsAndJitters(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1", nil)
	want := map[int]time.Duration{1: 500 * time.Millisecond, 2: time.Second, 5: 8 * time.Second, 6: backoffCap, 40: backoffCap, 1 << 30: backoffCap}
	for attempt, w := range want {
		if got := c.retryDelay(attempt, outcome{}); got != w {
			t.Errorf("retryDelay(%d) = %v, want %v", attempt, got, w)
		}
	}
	for i := 0; i < 1000; i++ {
		if d := fullJitter(time.Second); d < 0 || d > time.Second {
			t.Fatalf("fullJitter(1s) = %v", d)
		}
	}
	if fullJitter(0) != 0 {
		t.Error("fullJitter(0) != 0")
	}
}

// blockUntilGone holds a handler until the client gives up on the request
// (or the test ends), never for a fixed time.
func blockUntilGone(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
}

func TestSlowServerTimesOutEachAttempt(t *testing.T) {
	for _, stage := range []string{"headers", "body"} {
		t.Run(stage, func(t *testing.T) {
			srv := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				if stage == "body" {
					w.Header().Set("Content-Length", "100")
					w.WriteHeader(http.StatusOK)
					fmt.Fprint(w, `{"status":`)
					w.(http.Flusher).Flush()
				}
				blockUntilGone(r)
			})
			c, sl := newTestClient(t, srv.URL, func(cfg *Config) {
				cfg.MaxRetries = 2
				cfg.RequestTimeout = 50 * time.Millisecond
			})
			_, err := c.Get(context.Background(), jobRequest)
			if !errors.Is(err, ErrTimeout) {
				t.Fatalf("error %v, want ErrTimeout", err)
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("a per-attempt timeout must not look like the caller's deadline: %v", err)
			}
			if srv.calls.Load() != 3 || len(sl.get()) != 2 {
				t.Errorf("%d requests, %d sleeps; want 3 and 2", srv.calls.Load(), len(sl.get()))
			}
		})
	}
}

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	first := make(chan struct{})
	var once sync.Once
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		once.Do(func() { close(first) })
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	c.sleep = sleepContext // the real one: this test is about it
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-first
		cancel()
	}()
	start := time.Now()
	_, err := c.Get(ctx, jobRequest)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("took %v: the 30s Retry-After was slept through", elapsed)
	}
	if srv.calls.Load() != 1 {
		t.Errorf("%d requests after cancel", srv.calls.Load())
	}
}

func TestNoRetryPastTheDeadline(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c, sl := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := c.Get(ctx, jobRequest)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 429 || !strings.Contains(err.Error(), "would pass the deadline") {
		t.Fatalf("error %v, want the 429 and why it was not retried", err)
	}
	if srv.calls.Load() != 1 || len(sl.get()) != 0 {
		t.Errorf("%d requests, sleeps %v", srv.calls.Load(), sl.get())
	}
}

func TestDroppedConnectionIsRetried(t *testing.T) {
	for _, stage := range []string{"before answering", "mid body"} {
		t.Run(stage, func(t *testing.T) {
			srv := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
				if n == 1 {
					conn, buf, err := w.(http.Hijacker).Hijack()
					if err != nil {
						t.Errorf("hijack: %v", err)
						return
					}
					if stage == "mid body" {
						fmt.Fprint(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"status\":\"RUN")
						_ = buf.Flush()
					}
					_ = conn.Close()
					return
				}
				fmt.Fprint(w, `{"status":"SUCCESS"}`)
			})
			c, sl := newTestClient(t, srv.URL, nil)
			resp, err := c.Get(context.Background(), jobRequest)
			if err != nil || string(resp.Body) != `{"status":"SUCCESS"}` {
				t.Fatalf("Get = %v, %v", resp, err)
			}
			if srv.calls.Load() != 2 || len(sl.get()) != 1 {
				t.Errorf("%d requests, sleeps %v; want 2 and one backoff", srv.calls.Load(), sl.get())
			}
		})
	}
}

func TestNetworkErrorNamesMethodAndURL(t *testing.T) {
	srv := newServer(t, func(int, http.ResponseWriter, *http.Request) {})
	base := srv.URL
	srv.Close() // nothing listens any more
	c, sl := newTestClient(t, base+"/prefix", func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.Get(context.Background(), jobRequest)
	if err == nil || !strings.Contains(err.Error(), "GET "+base+"/prefix/v1/"+testProj+"/jobs/j1: ") {
		t.Fatalf("error %v does not name method and URL", err)
	}
	if len(sl.get()) != 2 {
		t.Errorf("slept %v, want 2 retries", sl.get())
	}
}

func TestRateLimiterSpacesEveryAttempt(t *testing.T) {
	t.Run("config", func(t *testing.T) {
		c, _ := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.RequestsPerSecond = 4 })
		if c.limiter == nil || c.limiter.Limit() != 4 || c.limiter.Burst() != 1 {
			t.Fatalf("limiter %+v, want 4/s burst 1", c.limiter)
		}
		unlimited, _ := newTestClient(t, "http://127.0.0.1:1", nil)
		if unlimited.limiter != nil {
			t.Error("RequestsPerSecond 0 built a limiter")
		}
	})
	t.Run("requests", func(t *testing.T) {
		srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "{}") })
		// The limiter's clock stands still, so each token is due 250ms
		// after the previous one and the recorded waits are exact.
		c, sl := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RequestsPerSecond = 4 })
		for i := 0; i < 3; i++ {
			if _, err := c.Get(context.Background(), jobRequest); err != nil {
				t.Fatal(err)
			}
		}
		want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}
		if got := sl.get(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("limiter waits %v, want %v", got, want)
		}
	})
	t.Run("retries", func(t *testing.T) {
		srv := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			fmt.Fprint(w, "{}")
		})
		c, sl := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RequestsPerSecond = 4 })
		if _, err := c.Get(context.Background(), jobRequest); err != nil {
			t.Fatal(err)
		}
		// The backoff, then the limiter before the retry.
		want := []time.Duration{backoffBase, 250 * time.Millisecond}
		if got := sl.get(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("waits %v, want %v", got, want)
		}
	})
	t.Run("shared by goroutines", func(t *testing.T) {
		srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "{}") })
		c, sl := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RequestsPerSecond = 10 })
		var wg sync.WaitGroup
		for i := 0; i < 5; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Get(context.Background(), jobRequest); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		var total time.Duration
		for _, d := range sl.get() {
			total += d
		}
		// Tokens at 0, 100, 200, 300, 400 ms of a frozen clock.
		if len(sl.get()) != 4 || total != time.Second {
			t.Errorf("waits %v, want four summing to 1s", sl.get())
		}
	})
}

func TestEndpoint(t *testing.T) {
	c, err := New(Config{Region: testRegion, AuthToken: "t", Endpoints: map[string]string{
		"ecs":       "http://127.0.0.1:9999/ecs/",
		"sfs_turbo": "https://turbo.internal:8443",
	}})
	if err != nil {
		t.Fatal(err)
	}
	custom, err := New(Config{Region: testRegion, AuthToken: "t", Cloud: "example.cloud"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		c                           *Client
		service, host, region, want string
	}{
		{c, "ecs", "", "", "http://127.0.0.1:9999/ecs"},
		{c, "ecs", "ecs", "ap-southeast-1", "http://127.0.0.1:9999/ecs"},
		{c, "sfs_turbo", "sfs-turbo", "", "https://turbo.internal:8443"},
		{c, "elb", "", "", "https://elb.cn-north-4.myhuaweicloud.com"},
		{c, "sdrs", "", "ap-southeast-1", "https://sdrs.ap-southeast-1.myhuaweicloud.com"},
		{c, "iam", "", "", "https://iam.cn-north-4.myhuaweicloud.com"},
		{custom, "sfs_turbo", "sfs-turbo", "", "https://sfs-turbo.cn-north-4.example.cloud"},
	} {
		got, err := tt.c.Endpoint(tt.service, tt.host, tt.region)
		if err != nil || got != tt.want {
			t.Errorf("Endpoint(%q, %q) = %q, %v; want %q", tt.service, tt.region, got, err, tt.want)
		}
	}
	noRegion, _ := New(Config{AuthToken: "t"})
	for _, tt := range []struct{ service, region, wantErr string }{
		{"ecs", "", "no region"},
		{"ecs", "cn-north-4.evil.com/", "invalid region"},
		{"ECS", "cn-north-4", "invalid service"},
		{"", "cn-north-4", "invalid service"},
	} {
		if _, err := noRegion.Endpoint(tt.service, "", tt.region); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Endpoint(%q, %q) error %v, want %q", tt.service, tt.region, err, tt.wantErr)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no credentials":        {Region: testRegion},
		"ak without sk":         {AccessKey: "a"},
		"sk without ak":         {SecretKey: "s"},
		"aksk and token":        {AccessKey: "a", SecretKey: "s", AuthToken: "t"},
		"security token alone":  {SecurityToken: "st", AuthToken: "t"},
		"bad region":            {AuthToken: "t", Region: "CN North"},
		"bad cloud":             {AuthToken: "t", Cloud: "example.com/evil"},
		"negative retries":      {AuthToken: "t", MaxRetries: -1},
		"negative timeout":      {AuthToken: "t", RequestTimeout: -time.Second},
		"negative rate":         {AuthToken: "t", RequestsPerSecond: -1},
		"endpoint without host": {AuthToken: "t", Endpoints: map[string]string{"ecs": "http:///x"}},
		"ftp endpoint":          {AuthToken: "t", Endpoints: map[string]string{"ecs": "ftp://h"}},
		"endpoint with query":   {AuthToken: "t", Endpoints: map[string]string{"ecs": "http://h/?x=1"}},
		"endpoint with user":    {AuthToken: "t", Endpoints: map[string]string{"ecs": "http://u:p@h/"}},
		"bad endpoint key":      {AuthToken: "t", Endpoints: map[string]string{"EC S": "http://h"}},
		"unknown endpoint key":  {AuthToken: "t", Services: []string{"ecs"}, Endpoints: map[string]string{"evs": "http://h"}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
		}
	}
}

func TestPathPrefixAndParamsAreSentAndSigned(t *testing.T) {
	var gotPath, gotRawPath string
	srv := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		gotPath, gotRawPath = r.URL.Path, r.URL.EscapedPath()
		fmt.Fprint(w, "{}")
	})
	c, _ := newTestClient(t, srv.URL+"/ecs/", nil)
	resp, err := c.Get(context.Background(), Request{
		Service: "ecs",
		Path:    "/v1/{project_id}/jobs/{job_id}",
		Params:  map[string]string{"job_id": "a+b:c@ü!", "project_id": "other-project"},
		Query:   url.Values{"limit": {"2"}, "name": {"web b", "web+a", ""}},
	})
	if err != nil {
		t.Fatal(err) // the server verified the signature over prefix, path and query
	}
	if gotPath != "/ecs/v1/other-project/jobs/a+b:c@ü!" {
		t.Errorf("server saw path %q", gotPath)
	}
	if resp.Path != gotRawPath || resp.Path != "/ecs/v1/other-project/jobs/a+b:c@%C3%BC%21" {
		t.Errorf("Response.Path %q, server saw %q", resp.Path, gotRawPath)
	}
	r := srv.lastRequest()
	if r.URL.RawQuery != "limit=2&name=web%20b&name=web%2Ba&name" {
		t.Errorf("query sent %q", r.URL.RawQuery)
	}
	if r.Header.Get("X-Project-Id") != "other-project" {
		t.Errorf("X-Project-Id = %q, want the project in the path", r.Header.Get("X-Project-Id"))
	}
}

func TestPathTemplateErrors(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1", nil)
	for name, req := range map[string]Request{
		"missing param":  {Service: "ecs", Path: "/v1/{project_id}/jobs/{job_id}"},
		"unused param":   {Service: "ecs", Path: "/v1/jobs", Params: map[string]string{"job_id": "j"}},
		"unclosed brace": {Service: "ecs", Path: "/v1/{job_id", Params: map[string]string{"job_id": "j"}},
		"relative path":  {Service: "ecs", Path: "v1/jobs"},
		"invalid value":  {Service: "ecs", Path: "/v1/jobs/{job_id}", Params: map[string]string{"job_id": "../../admin"}},
	} {
		if _, err := c.Get(context.Background(), req); err == nil {
			t.Errorf("%s: Get accepted %+v", name, req)
		}
	}
}

func TestInvalidRegionNeverReachesTheNetwork(t *testing.T) {
	c, err := New(Config{Region: testRegion, AuthToken: "t"}) // default endpoints
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(context.Background(), Request{Service: "ecs", Region: "x.evil.com#", Path: "/v1/jobs"})
	if err == nil || !strings.Contains(err.Error(), "invalid region") {
		t.Fatalf("error %v, want invalid region", err)
	}
}

func TestValidatePathParam(t *testing.T) {
	for _, bad := range []string{
		"", " ", "\t", "a/b", `a\b`, "a?b", "a#b", "a%2Fb", "..", "a..b", ".", "a b", "a\tb", "a\nb",
		"a\x00b", "a\x7fb", "a\u00a0b", "a\u2028b", "\xff", "a\xc3",
	} {
		err := ValidatePathParam("job_id", bad)
		if err == nil {
			t.Errorf("ValidatePathParam(%q) accepted it", bad)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "job_id") || !strings.Contains(msg, fmt.Sprintf("%q", bad)) {
			t.Errorf("error %q does not name the parameter and quote the value", msg)
		}
	}
	for _, good := range []string{
		"2c9eb2c5544cbf6101544f0602af2b4f", "26f6b565-xxxx-XXXX-xxxx-03f0bd975433", "ef6da45b-35d9-4c18-8c35-0b80d94ab9e6",
		"a.b", "a+b", "ü", "job:1", "~x_y",
	} {
		if err := ValidatePathParam("job_id", good); err != nil {
			t.Errorf("ValidatePathParam(%q) = %v", good, err)
		}
	}
	// Too long: rejected, and the message quotes only a prefix.
	long := strings.Repeat("a", 10<<10)
	err := ValidatePathParam("job_id", long)
	if err == nil || !strings.Contains(err.Error(), "at most 256 bytes") || len(err.Error()) > 200 {
		t.Errorf("ValidatePathParam(10 kB) = %v", err)
	}
	if err := ValidatePathParam("job_id", strings.Repeat("a", 256)); err != nil {
		t.Errorf("256 bytes: %v", err)
	}
}

func TestEncodeQuery(t *testing.T) {
	for _, tt := range []struct {
		q    url.Values
		want string
	}{
		{nil, ""},
		{url.Values{"b": {"2"}, "a": {"1"}}, "a=1&b=2"},
		{url.Values{"k": {"2", "1"}}, "k=2&k=1"}, // caller order, as the SDK sends
		{url.Values{"name": {"a b"}, "plus": {"+"}, "flag": {""}}, "flag&name=a%20b&plus=%2B"},
		{url.Values{"s": {"a/b=c"}, "u": {"wéb"}}, "s=a%2Fb%3Dc&u=w%C3%A9b"},
	} {
		if got := encodeQuery(tt.q); got != tt.want {
			t.Errorf("encodeQuery(%v) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestTokenAuth(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "{}") })
	c, err := New(Config{Region: testRegion, ProjectID: testProj, AuthToken: "iam-token", Endpoints: allEndpoints(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(context.Background(), jobRequest); err != nil {
		t.Fatal(err)
	}
	r := srv.lastRequest()
	if r.Header.Get(HeaderAuthToken) != "iam-token" {
		t.Errorf("X-Auth-Token = %q", r.Header.Get(HeaderAuthToken))
	}
	for _, h := range []string{"Authorization", HeaderSdkDate, HeaderSecurityToken} {
		if v := r.Header.Get(h); v != "" {
			t.Errorf("%s = %q on a token request", h, v)
		}
	}
}

func TestSecurityTokenIsSigned(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "{}") })
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.SecurityToken = testToken })
	if _, err := c.Get(context.Background(), jobRequest); err != nil {
		t.Fatal(err) // includes the server's signature check
	}
	r := srv.lastRequest()
	if r.Header.Get(HeaderSecurityToken) != testToken {
		t.Errorf("X-Security-Token = %q", r.Header.Get(HeaderSecurityToken))
	}
	if !strings.Contains(r.Header.Get("Authorization"), "SignedHeaders=user-agent;x-project-id;x-sdk-date;x-security-token,") {
		t.Errorf("Authorization = %s", r.Header.Get("Authorization"))
	}
}

func TestInsecureTLS(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		fmt.Fprint(w, "{}")
	}))
	defer srv.Close()
	strict, sl := newTestClient(t, srv.URL, nil)
	if _, err := strict.Get(context.Background(), jobRequest); err == nil {
		t.Fatal("an untrusted certificate was accepted")
	}
	if len(sl.get()) != 0 {
		t.Errorf("certificate failure retried: %v", sl.get())
	}
	insecure, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Insecure = true })
	if _, err := insecure.Get(context.Background(), jobRequest); err != nil {
		t.Fatalf("insecure client: %v", err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d requests reached the handler, want 1", calls.Load())
	}
}

func TestUserAgentIsSentAndSigned(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "{}") })
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.UserAgent = "terraform-provider-hwcjobs/1.2.3 terraform/1.9.0" })
	if _, err := c.Get(context.Background(), jobRequest); err != nil {
		t.Fatal(err)
	}
	if ua := srv.lastRequest().Header.Get("User-Agent"); ua != "terraform-provider-hwcjobs/1.2.3 terraform/1.9.0" {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "{}") })
	c, _ := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Get(ctx, jobRequest); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if srv.calls.Load() != 0 {
		t.Errorf("%d requests sent with a cancelled context", srv.calls.Load())
	}
}
