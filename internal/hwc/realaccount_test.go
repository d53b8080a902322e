package hwc

// The credential sources, temporary keys, projects, endpoints, TLS,
// proxies and error texts of a real account, against the emulator in
// process on 127.0.0.1. No test contacts any other address: the metadata
// base is the emulator's, unresolvable hosts fail in an injected dialer,
// and the proxied host name exists only inside a loopback proxy.

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// tclock is one manual clock shared by the client (Config.Now) and the
// emulator's verifier, so tests move time for both at once.
type tclock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *tclock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *tclock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type emuEnv struct {
	emu   *emulator.Server
	url   string
	clock *tclock
}

func newEmuEnv(t *testing.T) *emuEnv {
	t.Helper()
	clk := &tclock{t: time.Now().UTC().Truncate(time.Second)}
	emu := emulator.New(emulator.Options{VerifierClock: clk.now})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &emuEnv{emu: emu, url: srv.URL, clock: clk}
}

// endpoints of every service, IAM included unless noIAM.
func (e *emuEnv) endpoints(noIAM bool) map[string]string {
	m := map[string]string{"ecs": e.url + "/ecs", "elb": e.url + "/elb", "sdrs": e.url + "/sdrs", "sfs_turbo": e.url + "/sfs-turbo"}
	if !noIAM {
		m["iam"] = e.url + "/iam"
	}
	return m
}

// client builds a client on the shared clock with instant sleeps.
func (e *emuEnv) client(t *testing.T, edit func(*Config)) *Client {
	t.Helper()
	c, err := e.newClient(edit)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func (e *emuEnv) newClient(edit func(*Config)) (*Client, error) {
	cfg := Config{
		Region:           emulator.DefaultRegion,
		Endpoints:        e.endpoints(false),
		MetadataEndpoint: e.url + emulator.MetadataPrefix,
		MaxRetries:       2,
		RequestTimeout:   5 * time.Second,
		Now:              e.clock.now,
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	c.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	return c, nil
}

var seedECS = Request{Service: "ecs", Path: "/v1/{project_id}/jobs/{job_id}", Params: map[string]string{"job_id": emulator.SeedJobID(service.ECS)}}

func demoKeys(cfg *Config) {
	cfg.AccessKey, cfg.SecretKey = emulator.DemoAccessKey, emulator.DemoSecretKey
}

func demoAgency(cfg *Config) {
	cfg.AssumeRole = &AssumeRole{AgencyName: emulator.DemoAgencyName, DomainName: emulator.DemoAgencyDomain}
}

// writeFile writes content to a new file in a temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func koocli(t *testing.T, current string, profiles ...map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"current": current, "profiles": profiles})
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "config.json", string(b))
}

func akskProfile(name string) map[string]any {
	return map[string]any{"name": name, "mode": "AKSK", "accessKeyId": emulator.DemoAccessKey, "secretAccessKey": emulator.DemoSecretKey}
}

// TestEveryCredentialSourceReadsAJob: each source alone, as its settings
// would configure it, reads a job through the emulator's verifier, and the
// client reports the source it chose.
func TestEveryCredentialSourceReadsAJob(t *testing.T) {
	ssoProfile := map[string]any{"name": "sso", "mode": "SSO", "ssoAuth": map[string]any{"stsToken": nil}}
	agencyProfile := akskProfile("ops")
	agencyProfile["agencyName"], agencyProfile["agencyDomainName"] = emulator.DemoAgencyName, emulator.DemoAgencyDomain
	for name, tc := range map[string]struct {
		edit       func(*emuEnv, *Config)
		wantSource string
		wantFetch  int64
	}{
		"auth_token": {func(_ *emuEnv, c *Config) { c.AuthToken = emulator.DemoAuthToken }, "auth_token", 0},
		"access_key": {func(_ *emuEnv, c *Config) { demoKeys(c) }, "access_key", 0},
		"profile AKSK, file's current": {func(_ *emuEnv, c *Config) {
			c.SharedConfigFile = koocli(t, "dev", aksk0("other"), aksk("dev"))
		}, "shared_config_file (profile dev)", 0},
		"profile named": {func(_ *emuEnv, c *Config) {
			c.SharedConfigFile, c.Profile = koocli(t, "other", aksk0("other"), aksk("dev")), "dev"
		}, "shared_config_file (profile dev)", 0},
		"profile with agency": {func(_ *emuEnv, c *Config) {
			c.SharedConfigFile = koocli(t, "ops", agencyProfile)
		}, "assume_role (agency " + emulator.DemoAgencyName + ") over shared_config_file (profile ops)", 1},
		"SSO profile with metadata-issued stsToken": {func(e *emuEnv, c *Config) {
			cred := metadataKeys(t, e)
			ssoProfile["ssoAuth"] = map[string]any{"stsToken": map[string]string{"accessKeyId": cred["access"], "secretAccessKey": cred["secret"], "securityToken": cred["securitytoken"]}}
			c.SharedConfigFile, c.Profile = koocli(t, "", ssoProfile), "sso"
		}, "shared_config_file (profile sso)", 0},
		"ECS metadata": {func(_ *emuEnv, c *Config) { c.UseECSMetadata = true }, "use_ecs_metadata", 1},
		"assume_role over access_key": {func(_ *emuEnv, c *Config) { demoKeys(c); demoAgency(c) },
			"assume_role (agency " + emulator.DemoAgencyName + ") over access_key", 1},
		"assume_role over ECS metadata": {func(_ *emuEnv, c *Config) { c.UseECSMetadata = true; demoAgency(c) },
			"assume_role (agency " + emulator.DemoAgencyName + ") over use_ecs_metadata", 2},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEmuEnv(t)
			c := e.client(t, func(cfg *Config) { tc.edit(e, cfg) })
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := c.Get(context.Background(), seedECS); err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			if got := c.CredentialSource(); got != tc.wantSource {
				t.Errorf("source %q, want %q", got, tc.wantSource)
			}
			if got := c.CredentialFetches(); got != tc.wantFetch {
				t.Errorf("%d credential fetches for 8 parallel reads, want %d", got, tc.wantFetch)
			}
			if s := e.emu.Counters().Statuses[http.StatusUnauthorized]; s != 0 {
				t.Errorf("%d requests were refused", s)
			}
		})
	}
}

func aksk(name string) map[string]any {
	return aksk1(name, emulator.DemoAccessKey, emulator.DemoSecretKey)
}
func aksk0(name string) map[string]any { return aksk1(name, "WRONGAK", "wrong-secret") }
func aksk1(name, ak, sk string) map[string]any {
	return map[string]any{"name": name, "mode": "AKSK", "accessKeyId": ak, "secretAccessKey": sk}
}

// metadataKeys fetches a credential from the emulator's metadata route.
func metadataKeys(t *testing.T, e *emuEnv) map[string]string {
	t.Helper()
	resp, err := http.Get(e.url + emulator.MetadataPrefix + "/openstack/latest/securitykey")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Credential map[string]string `json:"credential"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Credential
}

// TestTemporaryKeysRefreshBeforeExpiry: a 45-second wait polling every 5
// seconds with 30-second keys. The rule (refresh when less than
// min(10 min, half the lifetime) remain) refreshes at 15 s of age: fetches
// at 0, 15, 30 and 45 s, and the gateway never refuses a request.
func TestTemporaryKeysRefreshBeforeExpiry(t *testing.T) {
	for name, edit := range map[string]func(*Config){
		"metadata":    func(c *Config) { c.UseECSMetadata = true },
		"assume_role": func(c *Config) { demoKeys(c); demoAgency(c) },
	} {
		t.Run(name, func(t *testing.T) {
			e := newEmuEnv(t)
			e.emu.SetCredentialLifetime(30 * time.Second)
			c := e.client(t, edit)
			for elapsed := time.Duration(0); elapsed <= 45*time.Second; elapsed += 5 * time.Second {
				if _, err := c.Get(context.Background(), seedECS); err != nil {
					t.Fatalf("at %s: %v", elapsed, err)
				}
				e.clock.advance(5 * time.Second)
			}
			st := e.emu.CredentialStats()
			if st.ExpiredRejections != 0 || e.emu.Counters().Statuses[http.StatusUnauthorized] != 0 {
				t.Errorf("rejected requests: %+v, statuses %v", st, e.emu.Counters().Statuses)
			}
			if got := c.CredentialFetches(); got != 4 {
				t.Errorf("%d fetches over 45 s of 30-second keys, want 4 (at 0, 15, 30, 45 s)", got)
			}
		})
	}
}

func TestRefreshPoint(t *testing.T) {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for lifetime, want := range map[time.Duration]time.Duration{
		time.Hour:        50 * time.Minute,               // 10 minutes left is less than half
		15 * time.Minute: 7*time.Minute + 30*time.Second, // half is less than 10 minutes
		30 * time.Second: 15 * time.Second,
		-time.Minute:     -time.Minute, // arrived expired: due at once, never later than expiry
	} {
		ts := &tempSource{now: func() time.Time { return at }, fetch: func(context.Context) (*credentials, error) {
			return &credentials{accessKey: "a", secretKey: "s", securityToken: "t", temporary: true, expires: at.Add(lifetime)}, nil
		}}
		c, err := ts.get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got := ts.refreshAt(c).Sub(at); got != want {
			t.Errorf("lifetime %s: refresh after %s, want %s", lifetime, got, want)
		}
	}
}

// TestExpiredRejectionRefreshesOnce: the gateway's clock runs past the
// keys' expiry while the client's does not; the client fetches new keys
// once and the read succeeds. Keys that are refused again end the read.
func TestExpiredRejectionRefreshesOnce(t *testing.T) {
	e := newEmuEnv(t)
	e.emu.SetCredentialLifetime(30 * time.Second)
	c := e.client(t, func(c *Config) { c.UseECSMetadata = true })
	if _, err := c.Get(context.Background(), seedECS); err != nil {
		t.Fatal(err)
	}
	e.emu.SetClockSkew(40 * time.Second) // within 15 minutes: only the keys are stale
	if _, err := c.Get(context.Background(), seedECS); err != nil {
		t.Fatalf("after the keys expired at the gateway: %v", err)
	}
	if st := e.emu.CredentialStats(); st.ExpiredRejections != 1 || c.CredentialFetches() != 2 {
		t.Errorf("stats %+v, %d fetches; want 1 rejection and 2 fetches", st, c.CredentialFetches())
	}

	// Keys dead on arrival: one refresh, then the 401 is reported.
	e.emu.SetCredentialLifetime(-time.Second)
	e.clock.advance(time.Hour)
	_, err := c.Get(context.Background(), seedECS)
	var authErr *AuthError
	if !errors.As(err, &authErr) || !strings.HasPrefix(err.Error(), "authentication failed") {
		t.Fatalf("error %v, want an authentication failure", err)
	}
	if got := c.CredentialFetches(); got != 4 {
		t.Errorf("%d fetches, want 4 (one more for the due refresh, one after the rejection)", got)
	}
}

// TestClockSkewIsCorrected: the gateway's clock is an hour ahead; the
// first request is refused with "signature expired", the client learns
// the skew from Date, re-signs at once and keeps the skew.
func TestClockSkewIsCorrected(t *testing.T) {
	e := newEmuEnv(t)
	e.emu.SetClockSkew(time.Hour)
	c := e.client(t, func(c *Config) { demoKeys(c); c.MaxRetries = 0 })
	for i := range 3 {
		if _, err := c.Get(context.Background(), seedECS); err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
	}
	if skew := c.ClockSkew(); skew < time.Hour-2*time.Second || skew > time.Hour+2*time.Second {
		t.Errorf("learned skew %s, want about 1h", skew)
	}
	if st := e.emu.CredentialStats(); st.SkewRejections != 1 {
		t.Errorf("%d skew rejections, want 1 (later requests use the learned skew)", st.SkewRejections)
	}
	// Temporary keys are judged by the corrected clock: with the gateway
	// an hour behind, 30-second keys issued at its time are fresh, not an
	// hour stale (which would fetch anew before every request).
	e.emu.SetClockSkew(-time.Hour)
	e.emu.SetCredentialLifetime(30 * time.Second)
	m := e.client(t, func(c *Config) { c.UseECSMetadata = true })
	for range 3 {
		if _, err := m.Get(context.Background(), seedECS); err != nil {
			t.Fatal(err)
		}
	}
	if m.CredentialFetches() != 1 {
		t.Errorf("%d metadata fetches, want 1", m.CredentialFetches())
	}
}

// TestClockSkewThatPersistsIsExplained: a gateway that keeps refusing the
// date ends the read with the clock's offset in the message.
func TestClockSkewThatPersistsIsExplained(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Date", time.Now().Add(2*time.Hour).UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error_msg":"Incorrect IAM authentication information: signature expired, signature time:x,server time:y","error_code":"APIGW.0301"}`)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{Region: testRegion, ProjectID: testProj, AccessKey: testAK, SecretKey: testSK, Endpoints: allEndpoints(srv.URL), MaxRetries: 3})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(context.Background(), jobRequest)
	if err == nil || !strings.HasPrefix(err.Error(), "authentication failed") || !strings.Contains(err.Error(), "local clock is off by 1h59m5") && !strings.Contains(err.Error(), "local clock is off by 2h0m") ||
		!strings.Contains(err.Error(), "APIGW.0301") {
		t.Fatalf("error %v, want the clock's offset explained", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d attempts, want 2 (one re-signed, never retried beyond)", calls.Load())
	}
}

// TestForbiddenKeepsAuthorizationMessage: an IAM policy denial is a
// permission error that keeps the encoded reason.
func TestForbiddenKeepsAuthorizationMessage(t *testing.T) {
	e := newEmuEnv(t)
	e.emu.Deny(emulator.DenyRule{PathPrefix: "/ecs/", Message: "ENCODED-REASON-xyz"})
	c := e.client(t, func(c *Config) { demoKeys(c); c.ProjectID = emulator.DefaultProjectID })
	_, err := c.Get(context.Background(), seedECS)
	var authErr *AuthError
	if !errors.As(err, &authErr) || !authErr.Forbidden() {
		t.Fatalf("error %v, want a permission error", err)
	}
	msg := err.Error()
	for _, want := range []string{"permission denied by ecs", "HTTP 403 APIGW.0302", "encoded_authorization_message: ENCODED-REASON-xyz", "IAM policies"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if !strings.HasPrefix(msg, "permission denied") {
		t.Errorf("headline %q does not say permission denied first", msg)
	}
}

// TestWrongSecretWithoutProjectIDSaysAuthenticationFirst: the project
// look-up is refused with 401; the headline is the authentication failure
// with the gateway's code and what to check, never a project problem.
func TestWrongSecretWithoutProjectIDSaysAuthenticationFirst(t *testing.T) {
	e := newEmuEnv(t)
	const wrong = "a-wrong-secret-key-never-shown"
	c := e.client(t, func(c *Config) { c.AccessKey, c.SecretKey = emulator.DemoAccessKey, wrong })
	_, err := c.Get(context.Background(), seedECS)
	if err == nil {
		t.Fatal("read with a wrong secret succeeded")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "authentication failed at iam") || !strings.Contains(msg, "APIGW.0301") ||
		!strings.Contains(msg, "access key and secret key") || !strings.Contains(msg, "clock") {
		t.Errorf("error %q: want the authentication failure first, with the code and what to check", msg)
	}
	if strings.Contains(msg, wrong) || strings.Contains(strings.ToLower(msg), "cannot find") {
		t.Errorf("error %q shows the secret or a project headline", msg)
	}
	if n := e.emu.Counters().Statuses[http.StatusUnauthorized]; n != 1 {
		t.Errorf("%d refused requests, want 1 (401 is not retried)", n)
	}
}

// dnsDialer fails every non-loopback host as not found, without a query,
// and counts the attempts.
type dnsDialer struct{ calls atomic.Int64 }

func (d *dnsDialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.calls.Add(1)
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		var nd net.Dialer
		return nd.DialContext(ctx, network, addr)
	}
	return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
}

// TestUnresolvableHostFailsAtOnce: a region typo with the default public
// endpoints fails on the first attempt, names the host and suggests the
// nearest regions; a configured endpoint's typo names the endpoint.
func TestUnresolvableHostFailsAtOnce(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "")
	t.Setenv("HTTP_PROXY", "")
	d := &dnsDialer{}
	c, err := New(Config{Region: "cn-nort-4", ProjectID: testProj, AccessKey: testAK, SecretKey: testSK, MaxRetries: 5, DialContext: d.dial})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(context.Background(), jobRequest)
	var hostErr *HostNotFoundError
	if !errors.As(err, &hostErr) {
		t.Fatalf("error %v, want a HostNotFoundError", err)
	}
	msg := err.Error()
	for _, want := range []string{"host ecs.cn-nort-4.myhuaweicloud.com does not resolve", "did you mean cn-north-4", "HW_REGION_NAME"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if d.calls.Load() != 1 {
		t.Errorf("%d dials, want 1: a name that does not resolve is not retried", d.calls.Load())
	}

	c2, err := New(Config{Region: testRegion, ProjectID: testProj, AccessKey: testAK, SecretKey: testSK, DialContext: d.dial,
		Endpoints: map[string]string{"ecs": "ecs.example-typo.test"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c2.Get(context.Background(), jobRequest)
	if err == nil || !strings.Contains(err.Error(), "host ecs.example-typo.test does not resolve") || !strings.Contains(err.Error(), "endpoints.ecs or HW_ECS_ENDPOINT") {
		t.Errorf("configured endpoint: %v", err)
	}

	c3, err := New(Config{Region: testRegion, UseECSMetadata: true, MetadataEndpoint: "http://metadata.example-typo.test", DialContext: d.dial})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c3.Get(context.Background(), jobRequest)
	if err == nil || !strings.HasPrefix(err.Error(), "use_ecs_metadata (HW_USE_ECS_METADATA)") || !strings.Contains(err.Error(), "host metadata.example-typo.test does not resolve") ||
		!strings.Contains(err.Error(), "(HW_ECS_METADATA_ENDPOINT)") {
		t.Errorf("metadata endpoint: %v", err)
	}
}

// TestProxyFromEnvironment: HTTP_PROXY names a loopback proxy, the only
// way to reach the made-up host; NO_PROXY bypasses it.
func TestProxyFromEnvironment(t *testing.T) {
	e := newEmuEnv(t)
	const madeUp = "emulator.hwcjobs-proxy.test"
	var proxied atomic.Int64
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Host != madeUp {
			http.Error(w, "unexpected host "+r.URL.Host, http.StatusBadGateway)
			return
		}
		proxied.Add(1)
		r.RequestURI = ""
		r.URL.Scheme, r.URL.Host = "http", strings.TrimPrefix(e.url, "http://")
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = fmt.Fprint(w, readAll(resp))
	}))
	t.Cleanup(proxy.Close)
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("HTTPS_PROXY", proxy.URL)
	t.Setenv("NO_PROXY", "")
	d := &dnsDialer{}
	edit := func(c *Config) {
		demoKeys(c)
		c.Endpoints = map[string]string{"ecs": "http://" + madeUp + "/ecs", "iam": "http://" + madeUp + "/iam"}
		c.DialContext = d.dial
	}
	c := e.client(t, edit)
	if _, err := c.Get(context.Background(), seedECS); err != nil {
		t.Fatalf("through the proxy: %v", err)
	}
	if proxied.Load() != 2 { // the project look-up and the job
		t.Errorf("%d proxied requests, want 2", proxied.Load())
	}
	t.Setenv("NO_PROXY", madeUp)
	c = e.client(t, edit)
	if _, err := c.Get(context.Background(), seedECS); err == nil || !strings.Contains(err.Error(), "does not resolve") {
		t.Errorf("with NO_PROXY the made-up host must be dialled directly (and not resolve): %v", err)
	}
}

func readAll(resp *http.Response) string {
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

// httpsEmulator serves a new emulator over HTTPS on loopback with a
// self-signed certificate, until the test ends.
func httpsEmulator(t *testing.T) (*emulator.Server, tls.Certificate, string) {
	t.Helper()
	emu := emulator.New(emulator.Options{})
	cert, err := emulator.SelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	base, _, err := emu.ListenAndServeTLS(ctx, "127.0.0.1:0", cert)
	if err != nil {
		t.Fatal(err)
	}
	return emu, cert, base
}

// TestCACertFile: the emulator over HTTPS with its own certificate; the
// client trusts it only through cacert_file.
func TestCACertFile(t *testing.T) {
	_, cert, base := httpsEmulator(t)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := emulator.WriteCertificatePEM(ca, cert); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Region: emulator.DefaultRegion, ProjectID: emulator.DefaultProjectID, AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey,
		Endpoints: map[string]string{"ecs": base + "/ecs"}}
	untrusting, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := untrusting.Get(context.Background(), seedECS); !IsCertificateError(err) {
		t.Fatalf("without the CA: %v, want a certificate error", err)
	}
	cfg.CACertFile = ca
	trusting, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := trusting.Get(context.Background(), seedECS); err != nil {
		t.Fatalf("with cacert_file: %v", err)
	}
}

// TestClientCertificate: cert and key are presented to a server that
// requires a client certificate.
func TestClientCertificate(t *testing.T) {
	clientCert, err := emulator.SelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	var seen atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil && len(r.TLS.PeerCertificates) == 1 && r.TLS.PeerCertificates[0].Equal(clientCert.Leaf) {
			seen.Add(1)
		}
		fmt.Fprint(w, "{}")
	}))
	srv.TLS = &tlsConfigRequireAny
	srv.StartTLS()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	certFile, keyFile, caFile := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem"), filepath.Join(dir, "ca.pem")
	if err := emulator.WriteCertificatePEM(certFile, clientCert); err != nil {
		t.Fatal(err)
	}
	writePEMKey(t, keyFile, clientCert)
	writePEMCert(t, caFile, srv.Certificate().Raw)
	c, err := New(Config{Region: testRegion, ProjectID: testProj, AccessKey: testAK, SecretKey: testSK,
		Endpoints: allEndpoints(srv.URL), CACertFile: caFile, CertFile: certFile, KeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(context.Background(), jobRequest); err != nil {
		t.Fatal(err)
	}
	if seen.Load() != 1 {
		t.Errorf("the server saw the client certificate %d times, want 1", seen.Load())
	}
}

// TestTwoHourWaitWithQuarterHourKeys: polling every 30 seconds for two
// hours with keys that live 15 minutes refreshes every 7.5 minutes (half
// the lifetime, less than 10 minutes): 17 fetches, not one request refused.
func TestTwoHourWaitWithQuarterHourKeys(t *testing.T) {
	for name, edit := range map[string]func(*Config){
		"metadata":    func(c *Config) { c.UseECSMetadata = true },
		"assume_role": func(c *Config) { demoKeys(c); demoAgency(c) },
	} {
		t.Run(name, func(t *testing.T) {
			e := newEmuEnv(t)
			e.emu.SetCredentialLifetime(15 * time.Minute)
			c := e.client(t, func(cfg *Config) { edit(cfg); cfg.ProjectID = emulator.DefaultProjectID })
			for elapsed := time.Duration(0); elapsed <= 2*time.Hour; elapsed += 30 * time.Second {
				if _, err := c.Get(context.Background(), seedECS); err != nil {
					t.Fatalf("at %s: %v", elapsed, err)
				}
				e.clock.advance(30 * time.Second)
			}
			if got := c.CredentialFetches(); got != 17 {
				t.Errorf("%d credential fetches, want 17", got)
			}
			if n := e.emu.Counters().Statuses[http.StatusUnauthorized]; n != 0 {
				t.Errorf("%d refused requests", n)
			}
		})
	}
}
