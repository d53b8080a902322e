package hwc

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

var tlsConfigRequireAny = tls.Config{ClientAuth: tls.RequireAnyClientCert, MinVersion: tls.VersionTLS12}

func writePEMKey(t *testing.T, path string, cert tls.Certificate) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func writePEMCert(t *testing.T, path string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// secretsOf are strings no error may hold.
var secretsOf = []string{emulator.DemoSecretKey, "profile-secret-never-shown", "sts-secret-never-shown", "sts-token-never-shown"}

// TestBadInputIsOneClearError: every misconfiguration New can see is one
// error naming the setting and its variable, and holds no secret.
func TestBadInputIsOneClearError(t *testing.T) {
	e := newEmuEnv(t)
	noKeys := map[string]any{"name": "bare", "mode": "AKSK", "region": "cn-north-4"}
	halfKeys := map[string]any{"name": "half", "mode": "AKSK", "accessKeyId": "AK", "secretAccessKey": ""}
	sso := map[string]any{"name": "sso", "mode": "SSO", "ssoAuth": map[string]any{"stsToken": map[string]string{"accessKeyId": "AK", "secretAccessKey": "sts-secret-never-shown"}}}
	withSecret := map[string]any{"name": "s", "mode": "AKSK", "accessKeyId": "AK", "secretAccessKey": "profile-secret-never-shown", "agencyName": "x"}
	for name, tc := range map[string]struct {
		edit  func(*Config)
		wants []string
	}{
		"missing profile": {func(c *Config) { c.SharedConfigFile, c.Profile = koocli(t, "a", aksk("a")), "nope" },
			[]string{"profile (HW_PROFILE)", `no profile named "nope"`, "profiles: a"}},
		"missing file": {func(c *Config) { c.SharedConfigFile = filepath.Join(t.TempDir(), "none.json") },
			[]string{"shared_config_file (HW_SHARED_CONFIG_FILE)", "does not exist"}},
		"config not JSON": {func(c *Config) {
			c.SharedConfigFile = writeFile(t, "config.json", "current = a\nsecret=profile-secret-never-shown")
		},
			[]string{"shared_config_file (HW_SHARED_CONFIG_FILE)", "not a KooCLI configuration", "invalid JSON at byte"}},
		"profile without keys": {func(c *Config) { c.SharedConfigFile = koocli(t, "bare", noKeys) },
			[]string{"profile (HW_PROFILE)", `profile "bare"`, "has no keys", "accessKeyId and secretAccessKey"}},
		"profile with half keys": {func(c *Config) { c.SharedConfigFile = koocli(t, "half", halfKeys) },
			[]string{"profile (HW_PROFILE)", "no secretAccessKey"}},
		"SSO profile without securityToken": {func(c *Config) { c.SharedConfigFile = koocli(t, "sso", sso) },
			[]string{"profile (HW_PROFILE)", "SSO mode", "stsToken"}},
		"profile agency without domain": {func(c *Config) { c.SharedConfigFile = koocli(t, "s", withSecret) },
			[]string{"profile (HW_PROFILE)", "agencyName and agencyDomainName"}},
		"no current profile": {func(c *Config) { c.SharedConfigFile = koocli(t, "", aksk("a")) },
			[]string{"profile (HW_PROFILE)", "no current profile"}},
		"access key alone": {func(c *Config) { c.AccessKey = "AK" },
			[]string{"access_key (HW_ACCESS_KEY)", "secret_key or HW_SECRET_KEY"}},
		"secret key alone": {func(c *Config) { c.SecretKey = emulator.DemoSecretKey },
			[]string{"secret_key (HW_SECRET_KEY)", "access_key or HW_ACCESS_KEY"}},
		"token and assume_role": {func(c *Config) { c.AuthToken = "tok"; demoAgency(c) },
			[]string{"assume_role", "auth_token (HW_AUTH_TOKEN)"}},
		"assume_role without domain": {func(c *Config) { demoKeys(c); c.AssumeRole = &AssumeRole{AgencyName: "a"} },
			[]string{"domain_name (HW_ASSUME_ROLE_DOMAIN_NAME)"}},
		"assume_role duration": {func(c *Config) { demoKeys(c); demoAgency(c); c.AssumeRole.Duration = 60e9 },
			[]string{"duration (HW_ASSUME_ROLE_DURATION)", "from 900 to 43200"}},
		"auth_url and endpoints.iam": {func(c *Config) { demoKeys(c); c.AuthURL = e.url + "/iam/v3" },
			[]string{"auth_url (HW_AUTH_URL)", "endpoints.iam (HW_IAM_ENDPOINT)"}},
		"CA file not PEM": {func(c *Config) { demoKeys(c); c.CACertFile = writeFile(t, "ca.pem", "not a certificate") },
			[]string{"cacert_file (HW_CACERT_FILE or OS_CACERT)", "no PEM certificate"}},
		"CA file missing": {func(c *Config) { demoKeys(c); c.CACertFile = filepath.Join(t.TempDir(), "none.pem") },
			[]string{"cacert_file (HW_CACERT_FILE or OS_CACERT)", "cannot read"}},
		"cert without key": {func(c *Config) { demoKeys(c); c.CertFile = writeFile(t, "c.pem", "x") },
			[]string{"cert (OS_CERT)", "key (OS_KEY)"}},
		"cert not matching": {func(c *Config) {
			demoKeys(c)
			c.CertFile, c.KeyFile = writeFile(t, "c.pem", "x"), writeFile(t, "k.pem", "y")
		}, []string{"cert (OS_CERT) and key (OS_KEY)"}},
		"bad region":       {func(c *Config) { demoKeys(c); c.Region = "CN North" }, []string{"region (HW_REGION_NAME)"}},
		"bad cloud":        {func(c *Config) { demoKeys(c); c.Cloud = "localhost" }, []string{"cloud (HW_CLOUD)"}},
		"bad project name": {func(c *Config) { demoKeys(c); c.ProjectName = "cn-north-4/dev" }, []string{"project_name (HW_PROJECT_NAME)"}},
		"bad endpoint":     {func(c *Config) { demoKeys(c); c.Endpoints = map[string]string{"sfs-turbo": "ftp://x"} }, []string{"endpoints.sfs-turbo (HW_SFS_TURBO_ENDPOINT)"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.newClient(func(c *Config) {
				c.Endpoints = e.endpoints(strings.Contains(name, "auth_url"))
				if name == "auth_url and endpoints.iam" {
					c.Endpoints = e.endpoints(false)
				}
				tc.edit(c)
			})
			if err == nil {
				t.Fatal("New accepted the configuration")
			}
			for _, want := range tc.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			for _, s := range secretsOf {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q holds a secret", err)
				}
			}
		})
	}
}

// TestMissingCredentialsListsEverySource names every source with its
// attribute and variable.
func TestMissingCredentialsListsEverySource(t *testing.T) {
	_, err := New(Config{Region: testRegion})
	if !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("error %v, want ErrNoCredentials", err)
	}
	for _, want := range []string{"auth_token (HW_AUTH_TOKEN)", "access_key and secret_key (HW_ACCESS_KEY and HW_SECRET_KEY)",
		"shared_config_file and/or profile (HW_SHARED_CONFIG_FILE, HW_PROFILE)", "use_ecs_metadata = true (HW_USE_ECS_METADATA=true)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestRuntimeCredentialFailures: an agency IAM refuses, and metadata that
// answers 404 or garbage, fail the read with one error naming the setting.
func TestRuntimeCredentialFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		setup func(*emulator.Server)
		edit  func(*Config)
		wants []string
	}{
		"agency refused": {func(s *emulator.Server) { s.SetAgencies([]emulator.Agency{}) },
			func(c *Config) { demoKeys(c); demoAgency(c) },
			[]string{"permission denied by iam", "HW_ASSUME_ROLE_AGENCY_NAME", "IAM refused agency", "HTTP 403", "not authorized to assume agency"}},
		"metadata 404": {func(s *emulator.Server) { _ = s.SetMetadataMode(emulator.MetadataNotFound) },
			func(c *Config) { c.UseECSMetadata = true },
			[]string{"use_ecs_metadata (HW_USE_ECS_METADATA)", "no security key", "HTTP 404", "attach an agency", "while looking up"}},
		"metadata garbage": {func(s *emulator.Server) { _ = s.SetMetadataMode(emulator.MetadataGarbage) },
			func(c *Config) { c.UseECSMetadata = true },
			[]string{"use_ecs_metadata (HW_USE_ECS_METADATA)", "not a credential", "invalid JSON"}},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEmuEnv(t)
			tc.setup(e.emu)
			c := e.client(t, tc.edit)
			_, err := c.Get(context.Background(), seedECS)
			if err == nil {
				t.Fatal("read succeeded")
			}
			for _, want := range tc.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if strings.Contains(err.Error(), emulator.DemoSecretKey) {
				t.Errorf("error holds the secret key")
			}
			if !strings.HasPrefix(err.Error(), tc.wants[0]) {
				t.Errorf("error %q does not start with its cause %q", err, tc.wants[0])
			}
			if _, ok := Summary(err); !ok {
				t.Errorf("no summary for %q", err)
			}
			if IsNotFound(err) {
				t.Errorf("a credential failure reads as the job not found: %q", err)
			}
		})
	}
}

// TestRegionFromProfile: with no region configured, the client's region is
// the profile's, which callers (the provider's state) report.
func TestRegionFromProfile(t *testing.T) {
	p := aksk("p")
	p["region"] = "cn-south-1"
	c, err := New(Config{SharedConfigFile: koocli(t, "p", p)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Region() != "cn-south-1" {
		t.Errorf("Region() = %q, want the profile's cn-south-1", c.Region())
	}
	c, err = New(Config{Region: testRegion, SharedConfigFile: koocli(t, "p", p)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Region() != testRegion {
		t.Errorf("Region() = %q, want the configured %s", c.Region(), testRegion)
	}
}

// TestProjectPrecedence: request project_id, then config project_id, then
// the profile's projectId, then the IAM look-up by project_name (default
// the region), which finds sub-projects and never calls /v3/v3.
func TestProjectPrecedence(t *testing.T) {
	e := newEmuEnv(t)
	const fromConfig, fromProfile, fromRequest = "cfgproject", "profileproject", "reqproject"
	profile := aksk("p")
	profile["region"], profile["projectId"] = emulator.DefaultRegion, fromProfile
	file := koocli(t, "p", profile)
	for name, tc := range map[string]struct {
		edit   func(*Config)
		params map[string]string
		want   string
	}{
		"request project_id":                     {func(c *Config) { c.SharedConfigFile = file; c.ProjectID = fromConfig }, map[string]string{"project_id": fromRequest}, fromRequest},
		"config project_id":                      {func(c *Config) { c.SharedConfigFile = file; c.ProjectID = fromConfig }, nil, fromConfig},
		"profile projectId, region from profile": {func(c *Config) { c.SharedConfigFile = file; c.Region = "" }, nil, fromProfile},
		"IAM look-up by region":                  {demoKeys, nil, emulator.DefaultProjectID},
		"IAM look-up of a sub-project":           {func(c *Config) { demoKeys(c); c.ProjectName = emulator.DevProjectName }, nil, emulator.DevProjectID},
		"auth_url with /v3": {func(c *Config) {
			demoKeys(c)
			c.Endpoints = e.endpoints(true)
			c.AuthURL = e.url + "/iam/v3"
		}, nil, emulator.DefaultProjectID},
		"endpoints.iam pasted with /v3": {func(c *Config) {
			demoKeys(c)
			c.Endpoints["iam"] = e.url + "/iam/v3/"
		}, nil, emulator.DefaultProjectID},
	} {
		t.Run(name, func(t *testing.T) {
			e.emu.ResetCounters()
			c := e.client(t, tc.edit)
			req := seedECS
			req.Params = map[string]string{"job_id": emulator.SeedJobID(service.ECS)}
			for k, v := range tc.params {
				req.Params[k] = v
			}
			resp, err := c.Get(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(resp.Path, "/ecs/v1/"+tc.want+"/") {
				t.Errorf("path %s, want project %s", resp.Path, tc.want)
			}
			for p := range e.emu.Counters().Paths {
				if strings.Contains(p, "/v3/v3") {
					t.Errorf("called %s", p)
				}
			}
		})
	}
}

// TestEndpointsRules: eu-west-1* regions default to myhuaweicloud.eu, a
// value without a scheme means https://, and sfs-turbo is sfs_turbo.
func TestEndpointsRules(t *testing.T) {
	c, err := New(Config{Region: "eu-west-101", AuthToken: "t", Endpoints: map[string]string{"sfs-turbo": "turbo.internal:8443/p"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ service, region, want string }{
		{"ecs", "", "https://ecs.eu-west-101.myhuaweicloud.eu"},
		{"iam", "", "https://iam.eu-west-101.myhuaweicloud.eu"},
		{"ecs", "cn-north-4", "https://ecs.cn-north-4.myhuaweicloud.com"},
		{"sfs_turbo", "", "https://turbo.internal:8443/p"},
		{"sfs-turbo", "", "https://turbo.internal:8443/p"},
	} {
		if got, err := c.Endpoint(tt.service, "", tt.region); err != nil || got != tt.want {
			t.Errorf("Endpoint(%s, %q) = %q, %v; want %s", tt.service, tt.region, got, err, tt.want)
		}
	}
	explicit, err := New(Config{Region: "eu-west-101", AuthToken: "t", Cloud: "example.cloud"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := explicit.Endpoint("ecs", "", ""); got != "https://ecs.eu-west-101.example.cloud" {
		t.Errorf("an explicit cloud must win: %s", got)
	}
	if _, err := New(Config{AuthToken: "t", Endpoints: map[string]string{"sfs-turbo": "a.b", "sfs_turbo": "c.d"}}); err == nil {
		t.Error("both spellings of one key accepted")
	}
}

// TestCredentialAnswersNeverReachLogs: at TRACE, nothing of an issued
// credential (secret, security token) appears, while requests are logged.
func TestCredentialAnswersNeverReachLogs(t *testing.T) {
	e := newEmuEnv(t)
	c := e.client(t, func(c *Config) { c.UseECSMetadata = true; demoAgency(c) })
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	if _, err := c.Get(ctx, seedECS); err != nil {
		t.Fatal(err)
	}
	cur := c.creds.(*tempSource).current()
	base := c.creds.(*tempSource).base.(*tempSource).current()
	out := buf.String()
	if !strings.Contains(out, "securitytokens") || !strings.Contains(out, "securitykey") {
		t.Fatalf("the log lacks the credential requests:\n%s", out)
	}
	for what, s := range map[string]string{"agency secret": cur.secretKey, "agency token": cur.securityToken,
		"metadata secret": base.secretKey, "metadata token": base.securityToken} {
		if s == "" || strings.Contains(out, s) {
			t.Errorf("the log holds the %s (or it is empty)", what)
		}
	}
	if !strings.Contains(out, `"X-Security-Token":"***"`) {
		t.Error("the log lacks the masked X-Security-Token")
	}
}

// TestSummary: the headline a caller should give each cause.
func TestSummary(t *testing.T) {
	api := &APIError{Status: http.StatusUnauthorized}
	for want, err := range map[string]error{
		"Missing credentials":    func() error { _, err := New(Config{Region: testRegion}); return err }(),
		"Authentication failed":  fmt.Errorf("wrapped: %w", &AuthError{API: api}),
		"Permission denied":      &AuthError{API: &APIError{Status: http.StatusForbidden}},
		"Clock skew":             &AuthError{API: api, SkewKnown: true},
		"Host not found":         &HostNotFoundError{Host: "h"},
		"Cannot get credentials": &CredentialError{Source: SourceECSMetadata, Err: errors.New("metadata answered garbage")},
	} {
		if got, ok := Summary(err); !ok || got != want {
			t.Errorf("Summary(%v) = %q, %v; want %q", err, got, ok, want)
		}
	}
	if got, ok := Summary(api); ok {
		t.Errorf("Summary of a plain API error = %q, want none", got)
	}
}

// TestMetadataIsOptIn: the metadata API is asked only when
// use_ecs_metadata is set and no earlier source is usable; the default
// base is the link-local address, which no test ever contacts.
func TestMetadataIsOptIn(t *testing.T) {
	e := newEmuEnv(t)
	for name, edit := range map[string]func(*Config){
		"not asked for":       demoKeys,
		"keys come first":     func(c *Config) { demoKeys(c); c.UseECSMetadata = true },
		"token comes first":   func(c *Config) { c.AuthToken = emulator.DemoAuthToken; c.UseECSMetadata = true },
		"profile comes first": func(c *Config) { c.SharedConfigFile = koocli(t, "a", aksk("a")); c.UseECSMetadata = true },
	} {
		c := e.client(t, edit)
		if _, err := c.Get(context.Background(), seedECS); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.CredentialFetches() != 0 {
			t.Errorf("%s: %d credential fetches", name, c.CredentialFetches())
		}
	}
	if n := e.emu.CredentialStats().MetadataIssued; n != 0 {
		t.Errorf("the metadata API was asked %d times", n)
	}
	c, err := New(Config{Region: testRegion, UseECSMetadata: true})
	if err != nil {
		t.Fatal(err)
	}
	if c.metadataBase != DefaultMetadataEndpoint || DefaultMetadataEndpoint != "http://169.254.169.254" {
		t.Errorf("default metadata base %q", c.metadataBase)
	}
}

// TestHTTPSProxy: HTTPS_PROXY names a loopback CONNECT proxy, the only
// way to reach the made-up host; the TLS session runs through the tunnel.
func TestHTTPSProxy(t *testing.T) {
	emu, _, base := httpsEmulator(t)
	target := strings.TrimPrefix(base, "https://")
	const madeUp = "iam-and-ecs.hwcjobs-proxy.test"
	var tunnels atomic.Int64
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect || r.Host != madeUp+":443" {
			http.Error(w, "unexpected "+r.Method+" "+r.Host, http.StatusBadGateway)
			return
		}
		upstream, err := net.Dial("tcp", target)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			upstream.Close()
			return
		}
		tunnels.Add(1)
		_, _ = conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		go func() { _, _ = io.Copy(upstream, conn); upstream.Close() }()
		go func() { _, _ = io.Copy(conn, upstream); conn.Close() }()
	}))
	t.Cleanup(proxy.Close)
	t.Setenv("HTTPS_PROXY", proxy.URL)
	t.Setenv("HTTP_PROXY", "")
	t.Setenv("NO_PROXY", "")
	d := &dnsDialer{}
	c, err := New(Config{Region: emulator.DefaultRegion, AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey,
		Endpoints:   map[string]string{"ecs": madeUp + "/ecs", "iam": "https://" + madeUp + "/iam"}, // scheme-less means https
		Insecure:    true,                                                                           // the certificate names 127.0.0.1, not the made-up host
		DialContext: d.dial})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(context.Background(), seedECS); err != nil {
		t.Fatalf("through the HTTPS proxy: %v", err)
	}
	if tunnels.Load() < 1 || emu.Counters().Requests != 2 {
		t.Errorf("%d tunnels, %d emulator requests; want at least 1 tunnel and 2 requests", tunnels.Load(), emu.Counters().Requests)
	}
}

// TestDefaultSharedConfigFile: profile alone reads ~/.hcloud/config.json.
func TestDefaultSharedConfigFile(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := os.MkdirAll(filepath.Join(home, ".hcloud"), 0o700); err != nil {
		t.Fatal(err)
	}
	src := koocli(t, "other", aksk0("other"), aksk("dev"))
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".hcloud", "config.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := LoadSharedProfile("", "dev")
	if err != nil {
		t.Fatal(err)
	}
	if p.File != filepath.Join(home, ".hcloud", "config.json") || p.AccessKey != emulator.DemoAccessKey || p.Mode != "AKSK" {
		t.Errorf("profile file %s, mode %s, access key %s", p.File, p.Mode, p.AccessKey)
	}
}

// TestAssumeRoleDefaultDuration: without a duration, the agency's keys are
// asked for 3600 seconds (IAM issues what is asked), and New leaves the
// caller's AssumeRole as it was.
func TestAssumeRoleDefaultDuration(t *testing.T) {
	e := newEmuEnv(t)
	ar := &AssumeRole{AgencyName: emulator.DemoAgencyName, DomainName: emulator.DemoAgencyDomain}
	c := e.client(t, func(c *Config) { demoKeys(c); c.AssumeRole = ar })
	if _, err := c.Get(context.Background(), seedECS); err != nil {
		t.Fatal(err)
	}
	if ar.Duration != 0 {
		t.Errorf("New wrote %s into the caller's AssumeRole", ar.Duration)
	}
	cur := c.creds.(*tempSource).current()
	if got := cur.expires.Sub(e.clock.now()); got != time.Hour {
		t.Errorf("keys live %s, want 1h", got)
	}
}
