package emulator

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// vclock is a settable verifier clock for the tests of this file.
type vclock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *vclock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *vclock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type issued struct {
	Credential struct {
		Access        string `json:"access"`
		Secret        string `json:"secret"`
		SecurityToken string `json:"securitytoken"`
		ExpiresAt     string `json:"expires_at"`
	} `json:"credential"`
}

func assumeRoleBody(agency, domain string, duration int) string {
	return `{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"agency_name":"` + agency +
		`","domain_name":"` + domain + `","duration_seconds":` + itoa(duration) + `}}}}` + "\n"
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// post sends a POST signed with ak/sk (and token, if any) at time at.
func (e *env) post(t *testing.T, path, body, ak, sk, token string, at time.Time) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("X-Security-Token", token)
	}
	testSign(req, ak, sk, at, []byte(body))
	return e.do(t, req)
}

func (e *env) getWith(t *testing.T, path, ak, sk, token string, at time.Time) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("X-Security-Token", token)
	}
	testSign(req, ak, sk, at, nil)
	return e.do(t, req)
}

const tokensPath = "/iam/v3.0/OS-CREDENTIAL/securitytokens"

func TestAssumeRoleIssuesKeysThatExpire(t *testing.T) {
	vc := &vclock{t: testEpoch}
	e := newEnv(t, Options{VerifierClock: vc.now})
	resp, body := e.post(t, tokensPath, assumeRoleBody(DemoAgencyName, DemoAgencyDomain, 900), DemoAccessKey, DemoSecretKey, "", vc.now())
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("assume_role: %d %s", resp.StatusCode, body)
	}
	var got issued
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	c := got.Credential
	exp, err := time.Parse(time.RFC3339Nano, c.ExpiresAt)
	if err != nil || !exp.Equal(testEpoch.Add(900*time.Second)) {
		t.Fatalf("expires_at %q (%v), want epoch+900s", c.ExpiresAt, err)
	}
	job := jobPath("ecs", SeedJobID(svcOf("ecs")))
	if resp, body := e.getWith(t, job, c.Access, c.Secret, c.SecurityToken, vc.now()); resp.StatusCode != http.StatusOK {
		t.Fatalf("with the issued keys: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.getWith(t, job, c.Access, c.Secret, "", vc.now()); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without X-Security-Token: %d, want 401", resp.StatusCode)
	}
	vc.advance(900 * time.Second)
	resp, body = e.getWith(t, job, c.Access, c.Secret, c.SecurityToken, vc.now())
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "expired") {
		t.Errorf("after expiry: %d %s, want 401 naming the expiry", resp.StatusCode, body)
	}
	if st := e.srv.CredentialStats(); st.AssumeRoleIssued != 1 || st.ExpiredRejections != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestAssumeRoleRefusals(t *testing.T) {
	e := newEnv(t, Options{})
	now := time.Now()
	for name, tc := range map[string]struct {
		body   string
		status int
		want   string
	}{
		"unknown agency":   {assumeRoleBody("other", DemoAgencyDomain, 900), http.StatusForbidden, "not authorized to assume agency other"},
		"duration too low": {assumeRoleBody(DemoAgencyName, DemoAgencyDomain, 899), http.StatusBadRequest, "duration_seconds"},
		"not JSON":         {"nope", http.StatusBadRequest, "not valid JSON"},
		"wrong method":     {`{"auth":{"identity":{"methods":["password"]}}}`, http.StatusBadRequest, "assume_role"},
	} {
		resp, body := e.post(t, tokensPath, tc.body, DemoAccessKey, DemoSecretKey, "", now)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: %d %s, want %d with %q", name, resp.StatusCode, body, tc.status, tc.want)
		}
	}
	// Unsigned: the verifier refuses before IAM is asked.
	resp, _ := e.post(t, tokensPath, assumeRoleBody(DemoAgencyName, DemoAgencyDomain, 900), DemoAccessKey, "wrong", "", now)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("bad signature: %d, want 401", resp.StatusCode)
	}
	if code, _ := e.admin(t, http.MethodPost, "agencies", []Agency{{DomainName: "d", AgencyName: "a"}}); code != http.StatusNoContent {
		t.Fatalf("admin agencies: %d", code)
	}
	if resp, _ := e.post(t, tokensPath, assumeRoleBody("a", "d", 3600), DemoAccessKey, DemoSecretKey, "", now); resp.StatusCode != http.StatusCreated {
		t.Errorf("configured agency: %d, want 201", resp.StatusCode)
	}
	if resp, _ := e.post(t, tokensPath, assumeRoleBody(DemoAgencyName, DemoAgencyDomain, 3600), DemoAccessKey, DemoSecretKey, "", now); resp.StatusCode != http.StatusForbidden {
		t.Errorf("demo agency once replaced: %d, want 403", resp.StatusCode)
	}
}

func TestMetadataSecurityKeyAndKnobs(t *testing.T) {
	vc := &vclock{t: testEpoch}
	e := newEnv(t, Options{VerifierClock: vc.now})
	if code, body := e.admin(t, http.MethodPost, "credentials", map[string]string{"lifetime": "30s"}); code != http.StatusNoContent {
		t.Fatalf("admin credentials: %d %s", code, body)
	}
	resp, body := e.do(t, mustRequest(t, http.MethodGet, e.ts.URL+"/metadata/openstack/latest/securitykey"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("securitykey: %d %s", resp.StatusCode, body)
	}
	var got issued
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	exp, err := time.Parse(time.RFC3339Nano, got.Credential.ExpiresAt)
	if err != nil || !exp.Equal(testEpoch.Add(30*time.Second)) {
		t.Errorf("expires_at %q, want epoch+30s (the lifetime knob)", got.Credential.ExpiresAt)
	}
	c := got.Credential
	job := jobPath("ecs", SeedJobID(svcOf("ecs")))
	if resp, _ := e.getWith(t, job, c.Access, c.Secret, c.SecurityToken, vc.now()); resp.StatusCode != http.StatusOK {
		t.Errorf("metadata keys: %d, want 200", resp.StatusCode)
	}
	vc.advance(31 * time.Second)
	if resp, _ := e.getWith(t, job, c.Access, c.Secret, c.SecurityToken, vc.now()); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("expired metadata keys: %d, want 401", resp.StatusCode)
	}
	for mode, want := range map[string]int{"not_found": http.StatusNotFound, "garbage": http.StatusOK} {
		if code, body := e.admin(t, http.MethodPost, "metadata", map[string]string{"mode": mode}); code != http.StatusNoContent {
			t.Fatalf("admin metadata %s: %d %s", mode, code, body)
		}
		resp, body := e.do(t, mustRequest(t, http.MethodGet, e.ts.URL+"/metadata/openstack/latest/securitykey"))
		if resp.StatusCode != want || json.Valid(body) && mode == "garbage" {
			t.Errorf("mode %s: %d %s", mode, resp.StatusCode, body)
		}
	}
	if code, _ := e.admin(t, http.MethodPost, "metadata", map[string]string{"mode": "bogus"}); code != http.StatusBadRequest {
		t.Errorf("bogus mode: %d, want 400", code)
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestSkewedGatewayClock(t *testing.T) {
	vc := &vclock{t: testEpoch}
	e := newEnv(t, Options{VerifierClock: vc.now})
	if code, _ := e.admin(t, http.MethodPost, "skew", map[string]string{"offset": "1h"}); code != http.StatusNoContent {
		t.Fatalf("admin skew: %d", code)
	}
	job := jobPath("ecs", SeedJobID(svcOf("ecs")))
	resp, body := e.getWith(t, job, DemoAccessKey, DemoSecretKey, "", vc.now())
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("skewed: %d %s", resp.StatusCode, body)
	}
	m := decodeJSON(t, body)
	wantMsg := "signature expired, signature time:" + testEpoch.Format(sdkDateLayout) + ",server time:" + testEpoch.Add(time.Hour).Format(sdkDateLayout)
	if msg, _ := m["error_msg"].(string); !strings.Contains(msg, wantMsg) || m["error_code"] != "APIGW.0301" {
		t.Errorf("body %s, want APIGW.0301 with %q", body, wantMsg)
	}
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil || !date.Equal(testEpoch.Add(time.Hour)) {
		t.Errorf("Date %q, want the gateway's time %s", resp.Header.Get("Date"), testEpoch.Add(time.Hour))
	}
	if resp, _ := e.getWith(t, job, DemoAccessKey, DemoSecretKey, "", date); resp.StatusCode != http.StatusOK {
		t.Errorf("signed at the gateway's time: %d, want 200", resp.StatusCode)
	}
}

func TestDenyRuleAnswers403WithAuthorizationMessage(t *testing.T) {
	e := newEnv(t, Options{})
	if code, _ := e.admin(t, http.MethodPost, "deny", DenyRule{PathPrefix: "/ecs/", Message: "encoded-reason-42"}); code != http.StatusNoContent {
		t.Fatalf("admin deny: %d", code)
	}
	resp, body := e.get(t, jobPath("ecs", SeedJobID(svcOf("ecs"))))
	m := decodeJSON(t, body)
	if resp.StatusCode != http.StatusForbidden || m["encoded_authorization_message"] != "encoded-reason-42" {
		t.Errorf("denied: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.get(t, jobPath("elb", SeedJobID(svcOf("elb")))); resp.StatusCode != http.StatusOK {
		t.Errorf("another path: %d, want 200", resp.StatusCode)
	}
	e.admin(t, http.MethodDelete, "deny", nil)
	if resp, _ := e.get(t, jobPath("ecs", SeedJobID(svcOf("ecs")))); resp.StatusCode != http.StatusOK {
		t.Errorf("after clearing: %d, want 200", resp.StatusCode)
	}
}

func TestSubProjectLookupAndJobs(t *testing.T) {
	e := newEnv(t, Options{})
	resp, body := e.get(t, "/iam/v3/projects?name="+DevProjectName)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"id":"`+DevProjectID+`"`) ||
		strings.Contains(string(body), DefaultProjectID) {
		t.Fatalf("sub-project look-up: %d %s", resp.StatusCode, body)
	}
	path := strings.Replace(jobPath("ecs", SeedJobID(svcOf("ecs"))), DefaultProjectID, DevProjectID, 1)
	if resp, body := e.get(t, path); resp.StatusCode != http.StatusOK {
		t.Errorf("job of the sub-project: %d %s", resp.StatusCode, body)
	}
}

func TestWriteCertificatePEM(t *testing.T) {
	cert, err := SelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := WriteCertificatePEM(path, cert); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(CertificatePEM(cert)) || !strings.HasPrefix(string(got), "-----BEGIN CERTIFICATE-----") {
		t.Errorf("file holds %q (%v)", got, err)
	}
}

func TestAccountAdminRoutesRefuseBadBodies(t *testing.T) {
	e := newEnv(t, Options{})
	for _, tc := range []struct {
		path string
		body any
	}{
		{"skew", map[string]string{"offset": "soon"}},
		{"credentials", map[string]string{"lifetime": "-1s"}},
		{"credentials", map[string]string{"lifetime": "<script>"}},
		{"agencies", map[string]int{"not": 1}},
		{"metadata", map[string]string{"mode": "sometimes"}},
		{"deny", []int{1}},
	} {
		code, body := e.admin(t, http.MethodPost, tc.path, tc.body)
		if code != http.StatusBadRequest || strings.Contains(string(body), "<script>") || strings.Contains(string(body), "sometimes") {
			t.Errorf("POST %s %v: %d %s, want 400 without the body echoed", tc.path, tc.body, code, body)
		}
	}
	code, body := e.admin(t, http.MethodGet, "credentials", nil)
	var st CredentialStats
	if code != http.StatusOK || json.Unmarshal(body, &st) != nil {
		t.Errorf("GET credentials: %d %s", code, body)
	}
}
