package provider

// Real accounts through real Terraform: one test per credential source,
// project rule, endpoint rule and failure a real account meets, against
// the emulator on 127.0.0.1. The metadata base is always the emulator's
// (HW_ECS_METADATA_ENDPOINT), and hosts of the public default endpoints
// fail in an injected dialer: nothing leaves the machine.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// newAccountEnv is newAccEnv whose metadata base is the emulator's, so
// that no test can reach the link-local metadata address.
func newAccountEnv(t *testing.T, opts emulator.Options) *accEnv {
	t.Helper()
	e := newAccEnv(t, opts)
	e.env["HW_ECS_METADATA_ENDPOINT"] = e.url + emulator.MetadataPrefix
	return e
}

// newTLSAccountEnv is newAccountEnv over HTTPS, with the path of a PEM file
// of the emulator's self-signed certificate.
func newTLSAccountEnv(t *testing.T) (*accEnv, string) {
	t.Helper()
	e, cert := newTLSAccEnv(t, emulator.Options{})
	pemPath := filepath.Join(t.TempDir(), "ca.pem")
	if err := emulator.WriteCertificatePEM(pemPath, cert); err != nil {
		t.Fatal(err)
	}
	e.env["HW_ECS_METADATA_ENDPOINT"] = e.url + emulator.MetadataPrefix
	return e, pemPath
}

// countingFactories serves fresh providers, edited by edit when not nil,
// and counts the provider processes Terraform started.
func (e *accEnv) countingFactories(edit func(*hwcjobsProvider)) (map[string]func() (tfprotov6.ProviderServer, error), *atomic.Int64) {
	var n atomic.Int64
	return map[string]func() (tfprotov6.ProviderServer, error){
		"hwcjobs": func() (tfprotov6.ProviderServer, error) {
			n.Add(1)
			p := e.provider()
			if edit != nil {
				edit(p)
			}
			return providerserver.NewProtocol6WithError(p)()
		},
	}, &n
}

// endpointsExcept is the endpoints attribute for the emulator, on one
// line (config's attrs are one per line), without the keys skipped.
func (e *accEnv) endpointsExcept(skip ...string) string {
	keys := map[string]string{"iam": "iam"}
	for _, svc := range e.services {
		keys[svc.Name] = svc.Host
	}
	for _, s := range skip {
		delete(keys, s)
	}
	var parts []string
	for k, host := range keys {
		parts = append(parts, fmt.Sprintf("%q = %q", k, e.url+"/"+host))
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// withBlock inserts block at the top of the provider block of config.
func withBlock(config, block string) string {
	return strings.Replace(config, "provider \"hwcjobs\" {\n", "provider \"hwcjobs\" {\n"+block, 1)
}

// assumeBlock is an assume_role block for the emulator's demo agency.
var assumeBlock = fmt.Sprintf("  assume_role {\n    agency_name = %q\n    domain_name = %q\n  }\n", emulator.DemoAgencyName, emulator.DemoAgencyDomain)

const (
	noKeys  = "access_key = null\nsecret_key = null"
	ecsRead = "data \"hwcjobs_ecs_job\" \"x\" {\n  job_id = \"ecs-running\"\n}\n"
	ecsAddr = "data.hwcjobs_ecs_job.x"
)

var running = []statecheck.StateCheck{check(ecsAddr, str("RUNNING"), "status")}

// errorWords matches each phrase in turn, anything between them, letting
// Terraform wrap lines between words.
func errorWords(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = words(p)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

// writeKooCLI writes a KooCLI configuration file and returns its path.
func writeKooCLI(t *testing.T, current string, profiles ...map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"current": current, "profiles": profiles})
	if err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, "config.json", string(b))
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func demoProfile(name string) map[string]any {
	return map[string]any{"name": name, "mode": "AKSK", "accessKeyId": emulator.DemoAccessKey, "secretAccessKey": emulator.DemoSecretKey}
}

// noRequests fails t when the emulator was asked anything: a plan-time
// configuration error must stop before the first request.
func noRequests(t *testing.T, e *accEnv) {
	t.Helper()
	if n := e.emu.Counters().Requests; n != 0 {
		t.Errorf("the emulator received %d requests; a configuration error must stop before any", n)
	}
}

// planError is a plan-only step that must fail with want.
func planError(config string, want *regexp.Regexp) resource.TestStep {
	return resource.TestStep{Config: config, PlanOnly: true, ExpectError: want}
}

// TestAccAccounts_token: an IAM token from HW_AUTH_TOKEN reads a job with
// no credential fetch; a token the gateway does not know is an
// authentication failure.
func TestAccAccounts_token(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { e.env["HW_AUTH_TOKEN"] = "a-token-iam-never-issued" },
				Config:      e.config(noKeys, ecsRead),
				ExpectError: errorWords("Authentication failed reading ECS job ecs-running", "authentication failed at ecs: the credentials (auth_token) were refused", "APIGW.0301"),
			},
			{
				PreConfig:         func() { e.env["HW_AUTH_TOKEN"] = emulator.DemoAuthToken },
				Config:            e.config(noKeys, ecsRead),
				ConfigStateChecks: running,
			},
		},
	})
	if s := e.emu.CredentialStats(); s.MetadataIssued+s.AssumeRoleIssued != 0 {
		t.Errorf("a token fetched temporary credentials: %+v", s)
	}
}

// issueMetadataKeys asks the emulator's metadata route for temporary keys,
// as an ECS host's script would, to hand them to the provider as AK/SK and
// security token.
func issueMetadataKeys(t *testing.T, e *accEnv) (ak, sk, token string) {
	t.Helper()
	resp, err := http.Get(e.url + emulator.MetadataPrefix + "/openstack/latest/securitykey") //nolint:noctx // a test's one request to its own emulator
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Credential struct{ Access, Secret, Securitytoken string } `json:"credential"`
	}
	if err := json.Unmarshal(body, &a); err != nil || a.Credential.Securitytoken == "" {
		t.Fatalf("metadata answer: %v", err)
	}
	return a.Credential.Access, a.Credential.Secret, a.Credential.Securitytoken
}

// TestAccAccounts_temporaryAKSK: temporary keys issued by the emulator,
// given as HW_ACCESS_KEY, HW_SECRET_KEY and HW_SECURITY_TOKEN, read a job
// (the verifier wants their X-Security-Token); with another security
// token in HCL they are refused.
func TestAccAccounts_temporaryAKSK(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					e.env["HW_ACCESS_KEY"], e.env["HW_SECRET_KEY"], e.env["HW_SECURITY_TOKEN"] = issueMetadataKeys(t, e)
				},
				Config:      e.config(noKeys+"\nsecurity_token = \"not-the-token-of-these-keys\"", ecsRead),
				ExpectError: errorWords("Authentication failed reading ECS job", "authentication failed at ecs", "APIGW.0301"),
			},
			{
				Config:            e.config(noKeys, ecsRead),
				ConfigStateChecks: running,
			},
		},
	})
	if n := e.emu.CredentialStats().MetadataIssued; n != 1 {
		t.Errorf("the metadata route issued %d keys, want 1 (the test's own): the provider must not ask it", n)
	}
}

// TestAccAccounts_sharedConfigAKSK: shared_config_file alone uses the
// file's current profile; HW_PROFILE picks another one (here with a wrong
// secret, so the choice shows).
func TestAccAccounts_sharedConfigAKSK(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	wrong := demoProfile("other")
	wrong["secretAccessKey"] = "not-the-demo-secret"
	file := writeKooCLI(t, "main", demoProfile("main"), wrong)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { e.env["HW_SHARED_CONFIG_FILE"], e.env["HW_PROFILE"] = file, "other" },
				Config:      e.config(noKeys, ecsRead),
				ExpectError: errorWords("Authentication failed reading ECS job", "authentication failed at ecs", "shared_config_file (profile other)", "APIGW.0301"),
			},
			{
				PreConfig:         func() { delete(e.env, "HW_SHARED_CONFIG_FILE"); delete(e.env, "HW_PROFILE") },
				Config:            e.config(noKeys+fmt.Sprintf("\nshared_config_file = %q", file), ecsRead),
				ConfigStateChecks: running,
			},
		},
	})
}

// TestAccAccounts_sharedConfigSSO: an SSO profile's stsToken is used as
// temporary keys, security token included (the emulator accepts these
// keys only with it).
func TestAccAccounts_sharedConfigSSO(t *testing.T) {
	t.Parallel()
	const ak, sk, token = "STSACCESSKEY", "sts-secret-key", "sts-security-token"
	e := newAccountEnv(t, emulator.Options{Credentials: map[string]emulator.Credential{ak: {SecretKey: sk, SecurityToken: token}}})
	sso := map[string]any{"name": "sso", "mode": "SSO", "ssoAuth": map[string]any{"stsToken": map[string]string{
		"accessKeyId": ak, "secretAccessKey": sk, "securityToken": token,
	}}}
	forged := map[string]any{"name": "forged", "mode": "SSO", "ssoAuth": map[string]any{"stsToken": map[string]string{
		"accessKeyId": ak, "secretAccessKey": sk, "securityToken": "another-token",
	}}}
	file := writeKooCLI(t, "sso", sso, forged)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:      e.config(noKeys+fmt.Sprintf("\nshared_config_file = %q\nprofile = \"forged\"", file), ecsRead),
				ExpectError: errorWords("Authentication failed reading ECS job", "authentication failed at ecs", "shared_config_file (profile forged)", "APIGW.0301"),
			},
			{Config: e.config(noKeys+fmt.Sprintf("\nshared_config_file = %q", file), ecsRead), ConfigStateChecks: running},
		},
	})
}

// TestAccAccounts_profileRegionAndProject: with neither region nor
// project_id in the provider block, the profile's region and projectId
// fill them: the job is read in the profile's project, with no IAM call.
func TestAccAccounts_profileRegionAndProject(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	p := demoProfile("p")
	p["region"], p["projectId"] = emulator.DefaultRegion, emulator.DevProjectID
	file := writeKooCLI(t, "p", p)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(noKeys+"\nregion = null\nproject_id = null\nprofile = \"p\"\nshared_config_file = \""+file+"\"", ecsRead),
			ConfigStateChecks: append(running,
				check(ecsAddr, str(emulator.DevProjectID), "project_id"),
				check(ecsAddr, str(emulator.DefaultRegion), "region")),
		}},
	})
	c := e.emu.Counters()
	if c.IAMCalls != 0 || c.Projects[emulator.DevProjectID] == 0 || c.Projects[emulator.DefaultProjectID] != 0 {
		t.Errorf("IAM calls %d, projects read %v: want the profile's project only, without a look-up", c.IAMCalls, c.Projects)
	}
}

// TestAccAccounts_profileAgency: a profile's agencyName and
// agencyDomainName assume that agency. The demo access key itself is denied
// on ECS, so the read only passes with the agency's keys.
func TestAccAccounts_profileAgency(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	e.emu.Deny(emulator.DenyRule{PathPrefix: "/ecs/", AccessKey: emulator.DemoAccessKey})
	p := demoProfile("ops")
	p["agencyName"], p["agencyDomainName"] = emulator.DemoAgencyName, emulator.DemoAgencyDomain
	file := writeKooCLI(t, "ops", p)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:            e.config(noKeys+fmt.Sprintf("\nshared_config_file = %q", file), ecsRead),
			ConfigStateChecks: running,
		}},
	})
	if s := e.emu.CredentialStats(); s.AssumeRoleIssued == 0 || s.Denied != 0 {
		t.Errorf("credential stats %+v: want the agency assumed and no request with the profile's own key on ECS", s)
	}
}

// TestAccAccounts_sharedConfigBadInput: a missing profile, a file that is
// not JSON and a profile without keys are each one plan-time error naming
// the setting and its variable, before any request, and never with the
// file's content.
func TestAccAccounts_sharedConfigBadInput(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	good := writeKooCLI(t, "a", demoProfile("a"))
	notJSON := writeTemp(t, "config.json", "current = a\nsecretAccessKey = file-secret-never-shown\n")
	bare := writeKooCLI(t, "bare", map[string]any{"name": "bare", "mode": "AKSK", "region": emulator.DefaultRegion})
	cfg := func(attrs string) string { return e.config(noKeys+"\n"+attrs, ecsRead) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			planError(cfg(fmt.Sprintf("shared_config_file = %q\nprofile = \"nope\"", good)),
				errorWords("profile (HW_PROFILE)", `no profile named "nope"`)),
			planError(cfg(fmt.Sprintf("shared_config_file = %q", notJSON)),
				errorWords("shared_config_file (HW_SHARED_CONFIG_FILE)", "not a KooCLI configuration")),
			planError(cfg(fmt.Sprintf("shared_config_file = %q", bare)),
				errorWords("profile (HW_PROFILE)", `profile "bare"`, "has no keys")),
			{
				PreConfig:   func() { e.env["HW_SHARED_CONFIG_FILE"], e.env["HW_PROFILE"] = good, "nope" },
				Config:      cfg(""),
				PlanOnly:    true,
				ExpectError: errorWords("profile (HW_PROFILE)", `no profile named "nope"`),
			},
		},
		ErrorCheck: func(err error) error {
			if err != nil && strings.Contains(err.Error(), "file-secret-never-shown") {
				t.Error("an error shows the configuration file's content")
			}
			return err
		},
	})
	noRequests(t, e)
}

// TestAccAccounts_ecsMetadata: use_ecs_metadata reads three jobs with the
// instance agency's keys, fetched once per provider process.
func TestAccAccounts_ecsMetadata(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	factories, processes := e.countingFactories(nil)
	body := ecsRead + `
data "hwcjobs_ecs_job" "y" { job_id = "ecs-success" }
data "hwcjobs_sdrs_job" "z" { job_id = "sdrs-init" }
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config:            e.config(noKeys+"\nuse_ecs_metadata = true", body),
			ConfigStateChecks: append(running, check("data.hwcjobs_ecs_job.y", str("SUCCESS"), "status")),
		}},
	})
	issued := e.emu.CredentialStats().MetadataIssued
	if issued == 0 || int64(issued) > processes.Load() {
		t.Errorf("%d metadata fetches for %d provider processes: want at least one, at most one per process", issued, processes.Load())
	}
}

// TestAccAccounts_ecsMetadataErrors: metadata that answers 404 or garbage
// is one error naming use_ecs_metadata and HW_USE_ECS_METADATA.
func TestAccAccounts_ecsMetadataErrors(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	mode := func(m emulator.MetadataMode) func() {
		return func() {
			if err := e.emu.SetMetadataMode(m); err != nil {
				t.Fatal(err)
			}
		}
	}
	cfg := e.config(noKeys, ecsRead)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { mode(emulator.MetadataNotFound)(); e.env["HW_USE_ECS_METADATA"] = "true" },
				Config:    cfg, ExpectError: errorWords("Cannot get credentials reading ECS job ecs-running", "use_ecs_metadata (HW_USE_ECS_METADATA): the ECS instance metadata has no security key", "HTTP 404", "attach an agency"),
			},
			{
				PreConfig: mode(emulator.MetadataGarbage),
				Config:    cfg, ExpectError: errorWords("Cannot get credentials reading ECS job ecs-running", "use_ecs_metadata (HW_USE_ECS_METADATA)", "not a credential"),
			},
		},
	})
	if n := e.emu.Counters().JobReads("ecs", "ecs-running"); n != 0 {
		t.Errorf("%d job reads without credentials", n)
	}
}

// TestAccAccounts_assumeRoleOverAKSK: the assume_role block trades the
// AK/SK for the agency's keys, which alone may read ECS (the demo key is
// denied there).
func TestAccAccounts_assumeRoleOverAKSK(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	e.emu.Deny(emulator.DenyRule{PathPrefix: "/ecs/", AccessKey: emulator.DemoAccessKey})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps:                    []resource.TestStep{{Config: withBlock(e.config("", ecsRead), assumeBlock), ConfigStateChecks: running}},
	})
	c := e.emu.Counters()
	if s := e.emu.CredentialStats(); s.AssumeRoleIssued == 0 || s.Denied != 0 || c.Paths["/iam/v3.0/OS-CREDENTIAL/securitytokens"] != s.AssumeRoleIssued {
		t.Errorf("credential stats %+v, paths %v: want the agency assumed through securitytokens and no ECS request with the base key", s, c.Paths)
	}
}

// TestAccAccounts_assumeRoleOverMetadata: HW_ASSUME_ROLE_AGENCY_NAME and
// HW_ASSUME_ROLE_DOMAIN_NAME on top of use_ecs_metadata: the metadata keys
// are traded for the agency's.
func TestAccAccounts_assumeRoleOverMetadata(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	e.env["HW_ASSUME_ROLE_AGENCY_NAME"], e.env["HW_ASSUME_ROLE_DOMAIN_NAME"] = emulator.DemoAgencyName, emulator.DemoAgencyDomain
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps:                    []resource.TestStep{{Config: e.config(noKeys+"\nuse_ecs_metadata = true", ecsRead), ConfigStateChecks: running}},
	})
	if s := e.emu.CredentialStats(); s.AssumeRoleIssued == 0 || s.MetadataIssued != s.AssumeRoleIssued {
		t.Errorf("credential stats %+v: want one metadata fetch per agency fetch", s)
	}
}

// TestAccAccounts_assumeRoleWithToken: assume_role on top of auth_token is
// a plan-time configuration error.
func TestAccAccounts_assumeRoleWithToken(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			planError(withBlock(e.config(noKeys+"\nauth_token = \""+emulator.DemoAuthToken+"\"", ecsRead), assumeBlock),
				errorWords("assume_role cannot be used with auth_token (HW_AUTH_TOKEN)")),
		},
	})
	noRequests(t, e)
}

// TestAccAccounts_agencyRefused: an agency IAM refuses is a permission
// error naming the agency settings, with IAM's reason.
func TestAccAccounts_agencyRefused(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	e.emu.SetAgencies([]emulator.Agency{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      withBlock(e.config("", ecsRead), assumeBlock),
			ExpectError: errorWords("Permission denied reading ECS job", "permission denied by iam", "HTTP 403", "not authorized to assume agency", "IAM refused agency", "HW_ASSUME_ROLE_AGENCY_NAME"),
		}},
	})
	if s := e.emu.CredentialStats(); s.AssumeRoleRefused == 0 || e.emu.Counters().JobReads("ecs", "ecs-running") != 0 {
		t.Errorf("credential stats %+v: want the agency refused and no job read", s)
	}
}

// requestTimes passes requests to next and keeps when each path was asked.
type requestTimes struct {
	next http.Handler
	mu   sync.Mutex
	at   map[string][]time.Time
}

func (rt *requestTimes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt.mu.Lock()
	if rt.at == nil {
		rt.at = map[string][]time.Time{}
	}
	rt.at[r.URL.Path] = append(rt.at[r.URL.Path], time.Now())
	rt.mu.Unlock()
	rt.next.ServeHTTP(w, r)
}

func (rt *requestTimes) times(path string) []time.Time {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]time.Time{}, rt.at[path]...)
}

// TestAccAccounts_longWaitShortCredentials: a wait of about 45 seconds with
// credentials that live 30 seconds, from the metadata and from
// assume_role: the keys are fetched again before they expire (less than
// half their lifetime left), so every job read goes out with keys fetched
// less than their lifetime before, and not one request is rejected.
func TestAccAccounts_longWaitShortCredentials(t *testing.T) {
	t.Parallel()
	const lifetime, wait = 30 * time.Second, 45 * time.Second
	for name, tc := range map[string]struct {
		attrs, block, path string
	}{
		"metadata":    {noKeys + "\nuse_ecs_metadata = true", "", emulator.MetadataPrefix + "/openstack/latest/securitykey"},
		"assume_role": {"", assumeBlock, "/iam/v3.0/OS-CREDENTIAL/securitytokens"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newAccountEnv(t, emulator.Options{})
			rec := &requestTimes{next: e.emu}
			srv := httptest.NewServer(rec)
			t.Cleanup(srv.Close)
			e.url = srv.URL
			e.env["HW_ECS_METADATA_ENDPOINT"] = e.url + emulator.MetadataPrefix
			e.emu.SetCredentialLifetime(lifetime)
			factories, processes := e.countingFactories(nil)
			svc := service.ECS
			id := "long-wait-" + name
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories,
				Steps: []resource.TestStep{{
					PreConfig: func() { e.timedJob(t, svc, id, service.Succeeded, wait, 0) },
					Config:    withBlock(e.config(tc.attrs, waitHCL(svc, "w", id, "")), tc.block),
					ConfigStateChecks: []statecheck.StateCheck{
						check(waitType(svc)+".w", str("SUCCESS"), "status"),
					},
				}},
			})
			fetched := rec.times(tc.path)
			reads := rec.times("/ecs/v1/" + emulator.DefaultProjectID + "/jobs/" + id)
			if len(reads) < 2 {
				t.Fatalf("%d job reads", len(reads))
			}
			span := reads[len(reads)-1].Sub(reads[0])
			// Every read went out with keys fetched less than their
			// lifetime before: they were never let expire.
			for _, r := range reads {
				fresh := false
				for _, f := range fetched {
					fresh = fresh || (!f.After(r) && r.Sub(f) < lifetime)
				}
				if !fresh {
					t.Errorf("a job read %s into the wait had no credentials fetched in the %s before it", r.Sub(reads[0]).Round(time.Second), lifetime)
				}
			}
			// A refresh is due 15 s after a fetch, made at the next read
			// (at most about 4 s later on the default schedule, plus slack): at least
			// 1 + span/20 s fetches; at most one per provider process plus
			// one per 15 s waited.
			procs := int(processes.Load())
			least, most := 1+int(span/(lifetime/2+5*time.Second)), procs+int(wait/(lifetime/2))
			if len(fetched) < least || len(fetched) > most {
				t.Errorf("%d credential fetches for %d provider processes and a wait of %s: want %d to %d", len(fetched), procs, span.Round(time.Second), least, most)
			}
			s, c := e.emu.CredentialStats(), e.emu.Counters()
			if c.Statuses[http.StatusUnauthorized] != 0 || s.ExpiredRejections != 0 {
				t.Errorf("%d requests rejected (%d as expired): want none", c.Statuses[http.StatusUnauthorized], s.ExpiredRejections)
			}
			t.Logf("%s: %d fetches over a wait of %s, %d provider processes, %d job reads, %d rejected",
				name, len(fetched), span.Round(time.Second), procs, len(reads), c.Statuses[http.StatusUnauthorized])
		})
	}
}

// TestAccAccounts_projectName: project_name (and HW_PROJECT_NAME) looks up
// the sub-project cn-north-4_dev, not the region's main project.
func TestAccAccounts_projectName(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	dev := []statecheck.StateCheck{check(ecsAddr, str(emulator.DevProjectID), "project_id")}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: e.config("project_id = null\nproject_name = \""+emulator.DevProjectName+"\"", ecsRead), ConfigStateChecks: dev},
			{
				PreConfig:         func() { e.env["HW_PROJECT_NAME"] = emulator.DevProjectName },
				Config:            e.config("project_id = null", ecsRead),
				ConfigStateChecks: dev,
			},
		},
	})
	c := e.emu.Counters()
	if c.Projects[emulator.DefaultProjectID] != 0 || c.Paths["/iam/v3/projects"] == 0 {
		t.Errorf("projects read %v, IAM paths %v: want the sub-project only, looked up", c.Projects, c.Paths)
	}
	for _, r := range c.RawRequests {
		if strings.HasPrefix(r.EscapedPath, "/iam/v3/projects") && !strings.Contains(r.RequestURI, "name="+emulator.DevProjectName) {
			t.Errorf("IAM look-up %s does not ask for %s", r.RequestURI, emulator.DevProjectName)
		}
	}
}

// TestAccAccounts_projectPrecedence: the data source's project_id beats the
// provider's, which beats the profile's projectId, which beats the IAM
// look-up by project_name.
func TestAccAccounts_projectPrecedence(t *testing.T) {
	t.Parallel()
	const fromResource, fromProvider, fromProfile = "aaaaaaaaaaaa4aaa8aaaaaaaaaaaaaaa", "bbbbbbbbbbbb4bbb8bbbbbbbbbbbbbbb", "cccccccccccc4ccc8ccccccccccccccc"
	e := newAccountEnv(t, emulator.Options{})
	p := demoProfile("p")
	p["projectId"] = fromProfile
	withProfile := writeKooCLI(t, "p", p)
	withoutProject := writeKooCLI(t, "p", demoProfile("p"))
	ds := func(project string) string {
		if project == "" {
			return ecsRead
		}
		return fmt.Sprintf("data \"hwcjobs_ecs_job\" \"x\" {\n  job_id = \"ecs-running\"\n  project_id = %q\n}\n", project)
	}
	step := func(attrs, project, want string) resource.TestStep {
		return resource.TestStep{
			Config:            e.config(noKeys+"\n"+attrs, ds(project)),
			ConfigStateChecks: []statecheck.StateCheck{check(ecsAddr, str(want), "project_id")},
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			step(fmt.Sprintf("project_id = %q\nshared_config_file = %q", fromProvider, withProfile), fromResource, fromResource),
			step(fmt.Sprintf("project_id = %q\nshared_config_file = %q", fromProvider, withProfile), "", fromProvider),
			step(fmt.Sprintf("project_id = null\nshared_config_file = %q", withProfile), "", fromProfile),
			step(fmt.Sprintf("project_id = null\nshared_config_file = %q", withoutProject), "", emulator.DefaultProjectID),
		},
	})
	c := e.emu.Counters()
	for _, id := range []string{fromResource, fromProvider, fromProfile, emulator.DefaultProjectID} {
		if c.Projects[id] == 0 {
			t.Errorf("no job read in project %s: %v", id, c.Projects)
		}
	}
}

// dialRecorder dials loopback addresses and fails every other one as a
// name that does not resolve, without a DNS query, keeping the addresses.
type dialRecorder struct {
	mu    sync.Mutex
	addrs []string
}

func (d *dialRecorder) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.addrs = append(d.addrs, addr)
	d.mu.Unlock()
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		var nd net.Dialer
		return nd.DialContext(ctx, network, addr)
	}
	return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
}

func (d *dialRecorder) seen() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string{}, d.addrs...)
}

// TestAccAccounts_euWestDomain: in eu-west-101 the default ECS host is
// ecs.eu-west-101.myhuaweicloud.eu (seen by an injected dialer, never
// resolved), while configured endpoints still go to the emulator.
func TestAccAccounts_euWestDomain(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	d := &dialRecorder{}
	factories, _ := e.countingFactories(func(p *hwcjobsProvider) { p.dialContext = d.dial })
	const region = "eu-west-101"
	const host = "ecs." + region + ".myhuaweicloud.eu"
	onlyIAM := fmt.Sprintf("region = %q\nendpoints = { iam = %q }", region, e.url+"/iam")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{Config: e.config(onlyIAM, ecsRead), ExpectError: errorWords("Host not found reading ECS job", "host "+host+" does not resolve", "cloud (HW_CLOUD)")},
			{Config: e.config(fmt.Sprintf("region = %q", region), ecsRead), ConfigStateChecks: running},
		},
	})
	addrs := strings.Join(d.seen(), " ")
	if !strings.Contains(addrs, host+":443") || strings.Contains(addrs, "myhuaweicloud.com") {
		t.Errorf("dialled %s: want %s:443 and no myhuaweicloud.com host", addrs, host)
	}
}

// TestAccAccounts_authURL: auth_url in the official form, /v3 included,
// is the IAM base of the project look-up (/v3/projects, never /v3/v3)
// and of assume_role; with endpoints.iam too it is an error naming both.
func TestAccAccounts_authURL(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	noIAM := "project_id = null\nendpoints = " + e.endpointsExcept("iam")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			planError(e.config("auth_url = \""+e.url+"/iam/v3\"", ecsRead),
				errorWords("Invalid provider configuration", "auth_url (HW_AUTH_URL)", "endpoints.iam (HW_IAM_ENDPOINT)")),
			{
				Config:            withBlock(e.config(noIAM+"\nauth_url = \""+e.url+"/iam/v3\"", ecsRead), assumeBlock),
				ConfigStateChecks: append(running, check(ecsAddr, str(emulator.DefaultProjectID), "project_id")),
			},
		},
	})
	c := e.emu.Counters()
	if c.Paths["/iam/v3/projects"] == 0 || c.Paths["/iam/v3.0/OS-CREDENTIAL/securitytokens"] == 0 {
		t.Errorf("paths %v: want the look-up and assume_role under the auth_url's base", c.Paths)
	}
	for p := range c.Paths {
		if strings.Contains(p, "/v3/v3") {
			t.Errorf("the client called %s", p)
		}
	}
}

// TestAccAccounts_cacertFile: against HTTPS with a self-signed certificate,
// cacert_file (then OS_CACERT) trusts it, endpoints without a scheme mean
// https:// and the official key sfs-turbo names SFS Turbo; a CA file that
// is not PEM is a plan-time error naming the setting and its variables.
func TestAccAccounts_cacertFile(t *testing.T) {
	t.Parallel()
	e, caFile := newTLSAccountEnv(t)
	hostPort := strings.TrimPrefix(e.url, "https://")
	schemeless := fmt.Sprintf("endpoints = { ecs = %q, \"sfs-turbo\" = %q, iam = %q }", hostPort+"/ecs", hostPort+"/sfs-turbo", hostPort+"/iam")
	body := ecsRead + "data \"hwcjobs_sfs_turbo_job\" \"t\" { job_id = \"sfs-turbo-running\" }\n"
	checks := append(running, check("data.hwcjobs_sfs_turbo_job.t", str("running"), "status"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			planError(e.config(fmt.Sprintf("cacert_file = %q", writeTemp(t, "ca.pem", "not a certificate")), body),
				errorWords("cacert_file (HW_CACERT_FILE or OS_CACERT)", "no PEM certificate")),
			{Config: e.config(fmt.Sprintf("cacert_file = %q\n%s", caFile, schemeless), body), ConfigStateChecks: checks},
			{
				PreConfig:         func() { e.env["OS_CACERT"] = caFile },
				Config:            e.config(schemeless, body),
				ConfigStateChecks: checks,
			},
		},
	})
	if n := e.emu.Counters().JobReads("sfs_turbo", "sfs-turbo-running"); n == 0 {
		t.Error("the SFS Turbo job was never read through endpoints.sfs-turbo")
	}
}

// TestAccAccounts_certWithoutKey: cert without key, in HCL or as OS_CERT,
// is a plan-time error naming both settings and variables.
func TestAccAccounts_certWithoutKey(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	certFile := writeTemp(t, "cert.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
	want := errorWords("cert (OS_CERT)", "key (OS_KEY)")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			planError(e.config(fmt.Sprintf("cert = %q", certFile), ecsRead), want),
			{PreConfig: func() { e.env["OS_CERT"] = certFile }, Config: e.config("", ecsRead), PlanOnly: true, ExpectError: want},
		},
	})
	noRequests(t, e)
}

// TestAccAccounts_clockSkew: a gateway clock 20 minutes ahead refuses the
// first signature of each provider process as expired; the client learns
// the offset from that answer and the read succeeds.
func TestAccAccounts_clockSkew(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	e.emu.SetClockSkew(20 * time.Minute)
	factories, processes := e.countingFactories(nil)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps:                    []resource.TestStep{{Config: e.config("", ecsRead), ConfigStateChecks: running}},
	})
	s := e.emu.CredentialStats()
	if s.SkewRejections == 0 || int64(s.SkewRejections) > processes.Load() {
		t.Errorf("%d skew rejections for %d provider processes: want at least one, at most one per process", s.SkewRejections, processes.Load())
	}
}

// TestAccAccounts_forbidden: a 403 of an IAM policy denial keeps its
// encoded_authorization_message in the error, headed "Permission denied".
func TestAccAccounts_forbidden(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	const msg = "encoded-denial-7f3a"
	e.emu.Deny(emulator.DenyRule{PathPrefix: "/ecs/", Message: msg})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      e.config("", ecsRead),
			ExpectError: errorWords("Permission denied reading ECS job", "permission denied by ecs", "APIGW.0302", "encoded_authorization_message: "+msg),
		}},
	})
}

// TestAccAccounts_wrongSecretWithoutProjectID: a wrong secret key with no
// project_id fails the IAM look-up with 401; the headline is
// "Authentication failed", not a project problem.
func TestAccAccounts_wrongSecretWithoutProjectID(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      e.config("project_id = null\nsecret_key = \"a-wrong-secret-key\"", ecsRead),
			ExpectError: regexp.MustCompile(`(?s)Error: Authentication failed.*authentication\s+failed\s+at\s+iam.*APIGW\.0301`),
		}},
	})
	diags, _ := e.readDirect(t, service.ECS, map[string]tftypes.Value{
		"project_id": tftypes.NewValue(tftypes.String, nil), "secret_key": strVal("a-wrong-secret-key"),
	}, map[string]tftypes.Value{"job_id": strVal("ecs-running")})
	if len(diags) != 1 || diags[0].Summary() != "Authentication failed" || strings.Contains(diagText(diags), "Cannot find") {
		t.Errorf("diagnostics:\n%s\nwant one, headed Authentication failed, with no project headline", diagText(diags))
	}
}

// TestAccAccounts_missingCredentials: with no source at all, the plan-time
// error lists every source with its attribute and variable.
func TestAccAccounts_missingCredentials(t *testing.T) {
	t.Parallel()
	e := newAccountEnv(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{planError(e.config(noKeys, ecsRead), errorWords(
			"Missing credentials",
			"auth_token (HW_AUTH_TOKEN)",
			"access_key and secret_key (HW_ACCESS_KEY and HW_SECRET_KEY)",
			"shared_config_file and/or profile (HW_SHARED_CONFIG_FILE, HW_PROFILE)",
			"use_ecs_metadata = true (HW_USE_ECS_METADATA=true)",
			"assume_role (HW_ASSUME_ROLE_AGENCY_NAME, HW_ASSUME_ROLE_DOMAIN_NAME)",
		))},
	})
	noRequests(t, e)
}
