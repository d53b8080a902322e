package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// TestProviderConfigure covers how HCL and the environment combine, and
// that each problem is one diagnostic naming the attribute and variable.
func TestProviderConfigure(t *testing.T) {
	nullStr := tftypes.NewValue(tftypes.String, nil)
	plainHTTP := map[string]string{"HW_REGION_NAME": "r", "HW_AUTH_TOKEN": "t", "HW_IAM_ENDPOINT": "http://127.0.0.1:1/iam"}
	for _, svc := range service.All() {
		plainHTTP[svc.EnvVar()] = "http://127.0.0.1:1/" + svc.Host
	}
	tests := []struct {
		name  string
		attrs map[string]tftypes.Value
		env   map[string]string
		// want is a pattern every error must match together; "" means no error.
		want    string
		warning string
	}{
		{name: "all from HCL", attrs: map[string]tftypes.Value{"region": strVal("cn-north-4"), "access_key": strVal("AK"), "secret_key": strVal("SK")}},
		{name: "all from the environment", env: map[string]string{"HW_REGION_NAME": "cn-north-4", "HW_ACCESS_KEY": "AK", "HW_SECRET_KEY": "SK", "HW_MAX_RETRIES": "0", "HW_INSECURE": "false"}},
		{name: "token from the environment", env: map[string]string{"HW_REGION_NAME": "cn-north-4", "HW_AUTH_TOKEN": "tok"}},
		{name: "missing region", attrs: map[string]tftypes.Value{"access_key": strVal("AK"), "secret_key": strVal("SK")}, want: `Missing region.*HW_REGION_NAME`},
		{name: "invalid region", env: map[string]string{"HW_REGION_NAME": "cn north", "HW_AUTH_TOKEN": "t"}, want: `Invalid provider configuration.*region \(HW_REGION_NAME\).*"cn north"`},
		{name: "missing credentials", env: map[string]string{"HW_REGION_NAME": "cn-north-4"}, want: `Missing credentials.*auth_token \(HW_AUTH_TOKEN\).*access_key and secret_key \(HW_ACCESS_KEY and HW_SECRET_KEY\).*HW_SHARED_CONFIG_FILE, HW_PROFILE.*HW_USE_ECS_METADATA.*assume_role`},
		{name: "AK without SK", env: map[string]string{"HW_REGION_NAME": "r", "HW_ACCESS_KEY": "AK"}, want: `access_key \(HW_ACCESS_KEY\) is set but secret_key is not.*HW_SECRET_KEY`},
		{name: "SK without AK", attrs: map[string]tftypes.Value{"secret_key": strVal("SK")}, env: map[string]string{"HW_REGION_NAME": "r"}, want: `secret_key \(HW_SECRET_KEY\) is set but access_key is not.*HW_ACCESS_KEY`},
		{name: "AK/SK and a token", env: map[string]string{"HW_REGION_NAME": "r", "HW_ACCESS_KEY": "AK", "HW_SECRET_KEY": "SK", "HW_AUTH_TOKEN": "tok"}, want: `both access_key/secret_key.*and auth_token \(HW_AUTH_TOKEN\) are set`},
		{name: "security token with a token", env: map[string]string{"HW_REGION_NAME": "r", "HW_AUTH_TOKEN": "tok", "HW_SECURITY_TOKEN": "st"}, want: `security_token \(HW_SECURITY_TOKEN\) is set without`},
		{name: "HCL wins over the environment", attrs: map[string]tftypes.Value{"region": strVal("cn-north-4")}, env: map[string]string{"HW_REGION_NAME": "bad region", "HW_AUTH_TOKEN": "tok"}},
		{name: "bad endpoint variable", env: map[string]string{"HW_REGION_NAME": "r", "HW_AUTH_TOKEN": "t", "HW_SDRS_ENDPOINT": "ftp://sdrs.example.com"}, want: `Invalid endpoint.*HW_SDRS_ENDPOINT.*ftp`},
		{name: "endpoint with a query", env: map[string]string{"HW_REGION_NAME": "r", "HW_AUTH_TOKEN": "t", "HW_ECS_ENDPOINT": "https://ecs.example.com/?x=1"}, want: `Invalid endpoint.*query`},
		{name: "bad HW_MAX_RETRIES", env: map[string]string{"HW_REGION_NAME": "r", "HW_AUTH_TOKEN": "t", "HW_MAX_RETRIES": "-1"}, want: `HW_MAX_RETRIES.*-1`},
		{name: "bad HW_INSECURE", env: map[string]string{"HW_REGION_NAME": "r", "HW_AUTH_TOKEN": "t", "HW_INSECURE": "maybe"}, want: `HW_INSECURE.*maybe`},
		{name: "bad project id", env: map[string]string{"HW_REGION_NAME": "r", "HW_AUTH_TOKEN": "t", "HW_PROJECT_ID": "a/b"}, want: `project_id \(HW_PROJECT_ID\).*"a/b"`},
		{name: "unknown region", attrs: map[string]tftypes.Value{"region": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}, env: map[string]string{"HW_AUTH_TOKEN": "t"}, want: `Unknown region`},
		{name: "insecure on plain http", attrs: map[string]tftypes.Value{"insecure": tftypes.NewValue(tftypes.Bool, true)},
			env:     plainHTTP,
			warning: `insecure has no effect`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &hwcjobsProvider{version: "test", services: service.All(), getenv: func(k string) string { return tt.env[k] }}
			attrs := map[string]tftypes.Value{"region": nullStr}
			for k, v := range tt.attrs {
				attrs[k] = v
			}
			resp := configureDirect(context.Background(), p, attrs)
			text := strings.ReplaceAll(diagText(resp.Diagnostics), "\n", " ")
			if tt.want == "" {
				if resp.Diagnostics.HasError() || resp.DataSourceData == nil {
					t.Fatalf("want success, got:\n%s", text)
				}
			} else {
				if resp.Diagnostics.ErrorsCount() != 1 {
					t.Fatalf("want exactly one error matching %q, got:\n%s", tt.want, text)
				}
				if !regexp.MustCompile(tt.want).MatchString(text) {
					t.Errorf("error does not match %q:\n%s", tt.want, text)
				}
			}
			if tt.warning != "" && !strings.Contains(text, tt.warning) {
				t.Errorf("want a warning %q, got:\n%s", tt.warning, text)
			}
			for _, secret := range []string{"SK", "tok", "st"} {
				if tt.env["HW_SECRET_KEY"] == secret || tt.env["HW_AUTH_TOKEN"] == secret || tt.env["HW_SECURITY_TOKEN"] == secret {
					if strings.Contains(text, `"`+secret+`"`) {
						t.Errorf("a diagnostic quotes the secret %q:\n%s", secret, text)
					}
				}
			}
		})
	}
}

// TestAccProvider_planTimeValidation: values that are known in HCL are
// rejected by terraform plan with an error naming the attribute.
func TestAccProvider_planTimeValidation(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t, emulator.Options{})
	ds := "data \"hwcjobs_ecs_job\" \"x\" {\n  job_id = \"ecs-running\"\n}\n"
	step := func(attrs, want string) resource.TestStep {
		return resource.TestStep{Config: e.config(attrs, ds), PlanOnly: true, ExpectError: regexp.MustCompile(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			step(`endpoints = { ecs = "not a url" }`, `(?s)Invalid endpoints\["ecs"\].*https://`),
			step(`endpoints = { rds = "https://rds.example.com" }`, `(?s)Invalid Attribute Value Match.*ecs.*sfs-turbo.*iam`),
			step(`endpoints = { sfs_turbo = "https://a.example.com", sfs-turbo = "https://b.example.com" }`, `(?s)Conflicting endpoints.*sfs_turbo.*sfs-turbo`),
			step(`endpoints = { iam = "https://iam.example.com/?a=b" }`, `(?s)Invalid endpoint.*query`),
			step(`max_retries = -1`, `(?s)Invalid max_retries.*from 0 to 100, got -1`),
			step(`requests_per_second = -2`, `(?s)Invalid requests_per_second.*0 \(unlimited\) or more, got\s+-2`),
			{
				Config:   strings.Replace(e.config("", ds), "provider \"hwcjobs\" {\n", "provider \"hwcjobs\" {\n  assume_role {\n    agency_name = \"a\"\n    domain_name = \"d\"\n    duration    = 60\n  }\n", 1),
				PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid assume_role.duration.*60 seconds is out of range`),
			},
			step(`request_timeout = "soon"`, `(?s)Invalid Time Duration String Value.*request_timeout.*soon`),
			step(`request_timeout = "-5s"`, `(?s)request_timeout.*positive duration.*"-5s"`),
			step(`region = "CN North"`, `(?s)region.*region name`),
			step(`secret_key = null`, `(?s)access_key \(HW_ACCESS_KEY\) is set but secret_key is not.*HW_SECRET_KEY`),
			step(`auth_token = "tok"`, `(?s)both access_key/secret_key.*and auth_token`),
			{Config: e.config("", `data "hwcjobs_ecs_job" "x" { job_id = "a/b" }`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid job_id.*"/"`)},
			{Config: e.config("", `data "hwcjobs_ecs_job" "x" { job_id = "  " }`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid job_id.*empty or blank`)},
		},
	})
	if n := e.emu.Counters().Requests; n != 0 {
		t.Errorf("invalid configurations sent %d requests", n)
	}
}

// TestAccECSJob_auth: a wrong secret key is refused with the gateway's
// error; token auth and temporary AK/SK with a security token are accepted.
func TestAccECSJob_auth(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t, emulator.Options{
		Credentials: map[string]emulator.Credential{
			emulator.DemoAccessKey: {SecretKey: emulator.DemoSecretKey},
			"TEMPORARYACCESSKEY":   {SecretKey: "temporary-secret", SecurityToken: "temporary-security-token"},
		},
	})
	ds := "data \"hwcjobs_ecs_job\" \"x\" {\n  job_id = \"ecs-running\"\n}\n"
	running := []statecheck.StateCheck{check("data.hwcjobs_ecs_job.x", str("RUNNING"), "status")}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:      e.config(`secret_key = "wrong-secret-key"`, ds),
				ExpectError: regexp.MustCompile(`(?s)HTTP 401.*APIGW.0301.*verify aksk signature\s+fail`),
			},
			{
				Config:            e.config("access_key = null\nsecret_key = null\nauth_token = \""+emulator.DemoAuthToken+"\"", ds),
				ConfigStateChecks: running,
			},
			{
				Config:      e.config("access_key = null\nsecret_key = null\nauth_token = \"expired-token\"", ds),
				ExpectError: regexp.MustCompile(`(?s)HTTP 401.*APIGW.0301`),
			},
			{
				Config:            e.config("access_key = \"TEMPORARYACCESSKEY\"\nsecret_key = \"temporary-secret\"\nsecurity_token = \"temporary-security-token\"", ds),
				ConfigStateChecks: running,
			},
			{
				Config:      e.config("access_key = \"TEMPORARYACCESSKEY\"\nsecret_key = \"temporary-secret\"\nsecurity_token = \"another-token\"", ds),
				ExpectError: regexp.MustCompile(`(?s)HTTP 401.*APIGW.0301`),
			},
		},
	})
}

// TestAccECSJob_projectLookup: with no project_id anywhere, the project is
// looked up through IAM by region name, and every data source of one
// provider instance shares that one look-up.
func TestAccECSJob_projectLookup(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t, emulator.Options{})
	var mu sync.Mutex
	instances := 0
	factories := e.factories()
	inner := factories["hwcjobs"]
	factories["hwcjobs"] = func() (tfprotov6.ProviderServer, error) {
		mu.Lock()
		instances++
		mu.Unlock()
		return inner()
	}
	body := `
data "hwcjobs_ecs_job" "a" { job_id = "ecs-running" }
data "hwcjobs_ecs_job" "b" { job_id = "ecs-success" }
data "hwcjobs_sfs_turbo_job" "c" { job_id = "sfs-turbo-running" }
data "hwcjobs_sdrs_job" "d" { job_id = "sdrs-init" }
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{
				Config: e.config("project_id = null", body),
				ConfigStateChecks: []statecheck.StateCheck{
					check("data.hwcjobs_ecs_job.a", str(emulator.DefaultProjectID), "project_id"),
					check("data.hwcjobs_sfs_turbo_job.c", str(emulator.DefaultProjectID), "project_id"),
				},
			},
			{
				Config:      e.config("project_id = null\nregion = \""+emulator.AmbiguousRegion+"\"", body),
				ExpectError: regexp.MustCompile(`(?s)Cannot find the project ID.*` + emulator.AmbiguousRegion),
			},
			{
				Config:      e.config("project_id = null\nregion = \"nowhere-1\"", body),
				ExpectError: regexp.MustCompile(`(?s)Cannot find the project ID.*nowhere-1`),
			},
		},
	})
	c := e.emu.Counters()
	if c.IAMCalls == 0 || c.IAMCalls > instances {
		t.Errorf("%d IAM calls for %d provider instances: want at most one per instance", c.IAMCalls, instances)
	}
}

// TestJobDataSource_oneLookupPerProvider: 20 concurrent first reads on one
// provider instance make exactly one IAM call.
func TestJobDataSource_oneLookupPerProvider(t *testing.T) {
	e := newAccEnv(t, emulator.Options{})
	e.env["HW_ECS_ENDPOINT"] = e.url + "/ecs"
	e.env["HW_IAM_ENDPOINT"] = e.url + "/iam"
	resp := configureDirect(context.Background(), e.provider(), map[string]tftypes.Value{
		"region": strVal(emulator.DefaultRegion), "access_key": strVal(emulator.DemoAccessKey), "secret_key": strVal(emulator.DemoSecretKey),
	})
	if resp.Diagnostics.HasError() {
		t.Fatal(diagText(resp.Diagnostics))
	}
	data := resp.DataSourceData.(*providerData)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := jobs.Find(context.Background(), data.client, service.ECS, data.region, mustProject(t, data), "ecs-running")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if c := e.emu.Counters(); c.IAMCalls != 1 || c.JobReads("ecs", "ecs-running") != 20 {
		t.Errorf("IAM calls %d, job reads %d: want 1 and 20", c.IAMCalls, c.JobReads("ecs", "ecs-running"))
	}
}

func mustProject(t *testing.T, data *providerData) string {
	id, err := data.client.ProjectID(context.Background(), data.region)
	if err != nil {
		t.Error(err)
	}
	return id
}

// TestAccECSJob_retries: a 429 with Retry-After and a 503 are retried by
// the client, and the read succeeds.
func TestAccECSJob_retries(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t, emulator.Options{})
	const seed = "2c9eb2c5544cbf6101544f0602af2b4f"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				for _, f := range []emulator.Fault{
					{Service: "ecs", JobID: seed, Kind: emulator.FaultStatus, Status: 429, RetryAfter: "1"},
					{Service: "ecs", JobID: seed, Kind: emulator.FaultStatus, Status: 503},
				} {
					if err := e.emu.InjectFault(f); err != nil {
						t.Fatal(err)
					}
				}
			},
			Config:            e.config("", fmt.Sprintf("data \"hwcjobs_ecs_job\" \"x\" {\n  job_id = %q\n}\n", seed)),
			ConfigStateChecks: []statecheck.StateCheck{check("data.hwcjobs_ecs_job.x", str("SUCCESS"), "status")},
		}},
	})
	c := e.emu.Counters()
	if c.Statuses[429] != 1 || c.Statuses[503] != 1 {
		t.Errorf("the emulator answered 429 %d times and 503 %d times, want once each", c.Statuses[429], c.Statuses[503])
	}
}

// TestAccECSJob_noSecretsInLogs runs reads with TF_LOG=TRACE, once with
// temporary AK/SK, once with a token and once with assume_role over the
// ECS metadata, and scans the whole log (provider and Terraform) and the
// state for the secrets, the credential answers (metadata and
// assume_role) included. The secrets come from the
// environment, as in a pipeline: in HCL, the test harness itself would echo
// them into the log with the test configuration. The log must hold the
// client's request lines with the masked headers, so the scan cannot pass
// on an empty log.
func TestAccECSJob_noSecretsInLogs(t *testing.T) {
	const (
		ak, sk, securityToken = "LOGTESTACCESSKEY", "log-test-secret-key-0123456789", "log-test-security-token-abcdef"
		authToken             = "log-test-auth-token-fedcba"
	)
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	e := newAccEnv(t, emulator.Options{
		Credentials: map[string]emulator.Credential{ak: {SecretKey: sk, SecurityToken: securityToken}},
		Tokens:      []string{authToken},
	})
	// The credential answers pass through a recorder, so the scan knows
	// the secrets the emulator issued.
	answers := &credentialRecorder{next: e.emu}
	srv := httptest.NewServer(answers)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	ds := "data \"hwcjobs_ecs_job\" \"x\" {\n  job_id = \"ecs-success\"\n}\n"
	var states []string
	keepState := func(st *terraform.State) error { states = append(states, st.String()); return nil }
	noKeys := "access_key = null\nsecret_key = null"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					e.env["HW_ACCESS_KEY"], e.env["HW_SECRET_KEY"], e.env["HW_SECURITY_TOKEN"] = ak, sk, securityToken
				},
				Config:            e.config(noKeys, ds),
				Check:             keepState,
				ConfigStateChecks: []statecheck.StateCheck{check("data.hwcjobs_ecs_job.x", knownvalue.StringExact("SUCCESS"), "status")},
			},
			{
				PreConfig: func() {
					e.env = map[string]string{"HW_AUTH_TOKEN": authToken}
				},
				Config:            e.config(noKeys, ds),
				Check:             keepState,
				ConfigStateChecks: []statecheck.StateCheck{check("data.hwcjobs_ecs_job.x", knownvalue.StringExact("SUCCESS"), "status")},
			},
			{
				PreConfig: func() {
					e.env = map[string]string{
						"HW_USE_ECS_METADATA": "true", "HW_ECS_METADATA_ENDPOINT": e.url + emulator.MetadataPrefix,
						"HW_ASSUME_ROLE_AGENCY_NAME": emulator.DemoAgencyName, "HW_ASSUME_ROLE_DOMAIN_NAME": emulator.DemoAgencyDomain,
					}
				},
				Config:            e.config(noKeys, ds),
				Check:             keepState,
				ConfigStateChecks: []statecheck.StateCheck{check("data.hwcjobs_ecs_job.x", knownvalue.StringExact("SUCCESS"), "status")},
			},
		},
	})
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(log) + strings.Join(states, "\n")
	for _, want := range []string{"/ecs/v1/" + emulator.DefaultProjectID + "/jobs/ecs-success", `X-Security-Token="***"`, `X-Auth-Token="***"`, `Authorization="***"`,
		"/openstack/latest/securitykey", "/v3.0/OS-CREDENTIAL/securitytokens"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the trace log (%d bytes) lacks %q: the scan below would prove nothing", len(log), want)
		}
	}
	for name, secret := range map[string]string{"secret key": sk, "security token": securityToken, "auth token": authToken} {
		if strings.Contains(text, secret) {
			t.Errorf("the %s appears in the TF_LOG=trace log or state", name)
		}
	}
	issued := answers.secrets()
	if len(issued) < 4 {
		t.Fatalf("%d secrets issued by the metadata and assume_role answers, want at least 4 (a secret and a token each)", len(issued))
	}
	for i, secret := range issued {
		if strings.Contains(text, secret) {
			t.Errorf("issued credential secret #%d (metadata or assume_role answer) appears in the TF_LOG=trace log or state", i)
		}
	}
	if regexp.MustCompile(`Signature=[0-9a-f]{64}`).MatchString(text) {
		t.Error("a request signature appears in the log")
	}
}

// credentialRecorder passes requests to next and keeps the secret and
// security token of every credential answer (metadata securitykey and
// IAM securitytokens).
type credentialRecorder struct {
	next http.Handler
	mu   sync.Mutex
	seen []string
}

func (c *credentialRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/openstack/latest/securitykey") && !strings.HasSuffix(r.URL.Path, "/OS-CREDENTIAL/securitytokens") {
		c.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	c.next.ServeHTTP(rec, r)
	var a struct {
		Credential struct{ Secret, Securitytoken string } `json:"credential"`
	}
	if json.Unmarshal(rec.Body.Bytes(), &a) == nil && a.Credential.Secret != "" {
		c.mu.Lock()
		c.seen = append(c.seen, a.Credential.Secret, a.Credential.Securitytoken)
		c.mu.Unlock()
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (c *credentialRecorder) secrets() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string{}, c.seen...)
}
