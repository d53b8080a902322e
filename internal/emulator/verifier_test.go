package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/testsupport/signvectors"
)

type signVector struct {
	Name          string            `json:"name"`
	AccessKey     string            `json:"access_key"`
	SecretKey     string            `json:"secret_key"`
	SecurityToken string            `json:"security_token"`
	Method        string            `json:"method"`
	URL           string            `json:"url"`
	Headers       map[string]string `json:"headers"`
	Body          string            `json:"body"`
	XSdkDate      string            `json:"x_sdk_date"`
	Signature     string            `json:"signature"`
	SignedHeaders string            `json:"signed_headers"`
	Canonical     string            `json:"canonical_request"`
}

func loadVectors(t testing.TB) []signVector {
	t.Helper()
	var file struct {
		Algorithm string       `json:"algorithm"`
		Vectors   []signVector `json:"vectors"`
	}
	if err := json.Unmarshal(signvectors.JSON, &file); err != nil {
		t.Fatal(err)
	}
	if file.Algorithm != signAlgorithm || len(file.Vectors) == 0 {
		t.Fatalf("unexpected vectors file: algorithm %q, %d vectors", file.Algorithm, len(file.Vectors))
	}
	return file.Vectors
}

// request builds the request as the server received it.
func (v signVector) request() *http.Request {
	r := httptest.NewRequest(v.Method, v.URL, strings.NewReader(v.Body))
	for k, val := range v.Headers {
		if k == "Host" {
			r.Host = val
			continue
		}
		r.Header[k] = []string{val}
	}
	return r
}

func (v signVector) verifier(t testing.TB) *verifier {
	at, err := time.Parse(sdkDateLayout, v.XSdkDate)
	if err != nil {
		t.Fatal(err)
	}
	return &verifier{
		creds: map[string]Credential{v.AccessKey: {SecretKey: v.SecretKey, SecurityToken: v.SecurityToken}},
		now:   func() time.Time { return at },
	}
}

func (v signVector) check(t *testing.T, ver *verifier, r *http.Request, body string, wantOK bool, what string) {
	t.Helper()
	err := ver.verify(r, []byte(body))
	if wantOK && err != nil {
		t.Errorf("%s: rejected: %v", what, err)
	}
	if !wantOK && err == nil {
		t.Errorf("%s: accepted", what)
	}
}

func setHeader(r *http.Request, name, value string) {
	for k := range r.Header {
		if strings.EqualFold(k, name) {
			r.Header[k] = []string{value}
			return
		}
	}
	r.Header.Set(name, value)
}

func TestVerifierVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			ver := v.verifier(t)
			v.check(t, ver, v.request(), v.Body, true, "the vector as sent")

			// Every signed byte changed: rejected.
			r := v.request()
			r.Method = map[bool]string{true: "DELETE", false: "GET"}[r.Method == "GET"]
			v.check(t, ver, r, v.Body, false, "method changed")

			scheme, rest, _ := strings.Cut(v.URL, "://")
			slash := strings.Index(rest, "/")
			mutated := []byte(rest)
			mutated[slash+1] ^= 0x01 // "/v1" → "/w1"
			r = httptest.NewRequest(v.Method, scheme+"://"+string(mutated), strings.NewReader(v.Body))
			r.Header, r.Host = v.request().Header, v.request().Host
			v.check(t, ver, r, v.Body, false, "path byte changed")

			sep := "?"
			if strings.Contains(v.URL, "?") {
				sep = "&"
				r = v.request()
				r.URL.RawQuery = r.URL.RawQuery[:len(r.URL.RawQuery)-1] + "x"
				v.check(t, ver, r, v.Body, false, "query value changed")
			}
			r = v.request()
			r.URL.RawQuery = strings.TrimPrefix(r.URL.RawQuery+sep+"extra=1", "?")
			v.check(t, ver, r, v.Body, false, "query parameter added")

			for _, name := range strings.Split(v.SignedHeaders, ";") {
				r = v.request()
				switch name {
				case "host":
					r.Host += "x"
				case "x-sdk-date":
					at, _ := time.Parse(sdkDateLayout, v.XSdkDate)
					setHeader(r, name, at.Add(time.Second).Format(sdkDateLayout))
				default:
					setHeader(r, name, r.Header.Get(name)+"x")
				}
				v.check(t, ver, r, v.Body, false, "signed header "+name+" changed")
			}

			r = v.request()
			auth := r.Header.Get("Authorization")
			last := auth[len(auth)-1]
			r.Header.Set("Authorization", auth[:len(auth)-1]+string("01"[(last+1)%2]))
			if last == '0' || last == '1' {
				r.Header.Set("Authorization", auth[:len(auth)-1]+"f")
			}
			v.check(t, ver, r, v.Body, false, "signature changed")

			unsigned := strings.Contains(v.SignedHeaders, "x-sdk-content-sha256")
			r = httptest.NewRequest(v.Method, v.URL, strings.NewReader(v.Body+"x"))
			r.Header, r.Host = v.request().Header, v.request().Host
			v.check(t, ver, r, v.Body+"x", unsigned, "body changed")

			// Unsigned parts changed: still accepted.
			r = v.request()
			r.Header.Set("Content-Type", "text/plain")
			r.Header.Set("Content-Length", "12345")
			r.Header.Set("X-Unlisted", "anything")
			r.Header.Set("Accept-Encoding", "br")
			if !strings.Contains(v.SignedHeaders, "host") {
				r.Host = "127.0.0.1:9"
			}
			v.check(t, ver, r, v.Body, true, "unsigned parts changed")
		})
	}
}

func TestTestSignerMatchesVectors(t *testing.T) {
	// The test signer covers the simple vectors; it must agree with them
	// so that the HTTP tests exercise a real signature.
	for _, v := range loadVectors(t) {
		if v.Name != "ecs_v2_show_job" && v.Name != "iam_v3_keystone_list_projects" {
			continue
		}
		r := v.request()
		got := testCanonicalRequest(r, strings.Split(v.SignedHeaders, ";"), []byte(v.Body))
		if got != v.Canonical {
			t.Errorf("%s: canonical request\n got %q\nwant %q", v.Name, got, v.Canonical)
		}
	}
}

func TestVerifierRejections(t *testing.T) {
	vectors := loadVectors(t)
	byName := map[string]signVector{}
	for _, v := range vectors {
		byName[v.Name] = v
	}
	plain, temp := byName["ecs_v2_show_job"], byName["ecs_v2_show_job_security_token"]
	at, _ := time.Parse(sdkDateLayout, plain.XSdkDate)

	tests := []struct {
		name   string
		vec    signVector
		mutate func(r *http.Request, v *verifier)
		want   string // "" = accepted; else a fragment of the reason
	}{
		{"missing Authorization", plain, func(r *http.Request, _ *verifier) { r.Header.Del("Authorization") }, "neither"},
		{"wrong algorithm", plain, func(r *http.Request, _ *verifier) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SDK-HMAC-SHA256", "V11-HMAC-SHA256", 1))
		}, "algorithm"},
		{"missing Signature", plain, func(r *http.Request, _ *verifier) {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:strings.Index(a, ", Signature=")])
		}, "lacks"},
		{"unknown access key", plain, func(_ *http.Request, v *verifier) { v.creds = map[string]Credential{"OTHER": {SecretKey: "x"}} }, "unknown access key"},
		{"x-sdk-date not signed", plain, func(r *http.Request, _ *verifier) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "user-agent;x-project-id;x-sdk-date", "user-agent;x-project-id", 1))
		}, "x-sdk-date is not signed"},
		{"name listed twice", plain, func(r *http.Request, _ *verifier) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "user-agent;", "user-agent;user-agent;", 1))
		}, "twice"},
		{"signed header absent", plain, func(r *http.Request, _ *verifier) { r.Header.Del("X-Project-Id") }, "missing"},
		{"date 16 min behind", plain, func(_ *http.Request, v *verifier) { v.now = func() time.Time { return at.Add(16 * time.Minute) } }, "from the server clock"},
		{"date 16 min ahead", plain, func(_ *http.Request, v *verifier) { v.now = func() time.Time { return at.Add(-16 * time.Minute) } }, "from the server clock"},
		{"date 14 min off", plain, func(_ *http.Request, v *verifier) { v.now = func() time.Time { return at.Add(14 * time.Minute) } }, ""},
		{"bad date", plain, func(r *http.Request, _ *verifier) { r.Header.Set("X-Sdk-Date", "2024-01-15T08:09:10Z") }, "bad X-Sdk-Date"},
		{"token of another key", temp, func(_ *http.Request, v *verifier) {
			v.creds = map[string]Credential{temp.AccessKey: {SecretKey: temp.SecretKey, SecurityToken: "other"}}
		}, "does not belong"},
		{"token for a permanent key", temp, func(_ *http.Request, v *verifier) {
			v.creds = map[string]Credential{temp.AccessKey: {SecretKey: temp.SecretKey}}
		}, "does not belong"},
		{"temporary key without token", temp, func(r *http.Request, _ *verifier) {
			r.Header.Del("X-Security-Token")
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";x-security-token", "", 1))
		}, "without X-Security-Token"},
		{"token not signed", temp, func(r *http.Request, _ *verifier) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";x-security-token", "", 1))
		}, "not signed"},
		{"unsigned payload header not signed", plain, func(r *http.Request, _ *verifier) { r.Header.Set("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD") }, "must be signed"},
		{"valid token", plain, func(r *http.Request, v *verifier) {
			r.Header.Del("Authorization")
			r.Header.Set("X-Auth-Token", "tok-1")
			v.tokens = []string{"tok-0", "tok-1"}
		}, ""},
		{"invalid token", plain, func(r *http.Request, v *verifier) {
			r.Header.Del("Authorization")
			r.Header.Set("X-Auth-Token", "tok-2")
			v.tokens = []string{"tok-0", "tok-1"}
		}, "unknown X-Auth-Token"},
		{"empty token", plain, func(r *http.Request, v *verifier) {
			r.Header.Del("Authorization")
			r.Header.Set("X-Auth-Token", "")
			v.tokens = []string{""}
		}, "bad X-Auth-Token"},
		{"bad signature with a valid token", plain, func(r *http.Request, v *verifier) {
			r.Header.Set("Authorization", r.Header.Get("Authorization")+"0")
			r.Header.Set("X-Auth-Token", "tok-1")
			v.tokens = []string{"tok-1"}
		}, "signature mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, v := tt.vec.request(), tt.vec.verifier(t)
			tt.mutate(r, v)
			err := v.verify(r, []byte(tt.vec.Body))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("accepted, want a rejection mentioning %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("rejected for %v, want a reason mentioning %q", err, tt.want)
			}
		})
	}
}

func TestUnauthorizedAnswer(t *testing.T) {
	e := newEnv(t, Options{})
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+jobPath("ecs", "ecs-success"), nil)
	testSign(req, DemoAccessKey, "wrong-secret", time.Now(), nil)
	resp, body := e.do(t, req)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", resp.StatusCode)
	}
	m := decodeJSON(t, body)
	id := resp.Header.Get("X-Request-Id")
	if m["error_code"] != "APIGW.0301" || m["error_msg"] != authFailMsg || m["request_id"] != id || len(id) != 32 {
		t.Errorf("body %s with X-Request-Id %q", body, id)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}

	// A signature made 20 minutes ago (by the real verifier clock) fails,
	// whatever the job clock says.
	req, _ = http.NewRequest(http.MethodGet, e.ts.URL+jobPath("ecs", "ecs-success"), nil)
	testSign(req, DemoAccessKey, DemoSecretKey, time.Now().Add(-20*time.Minute), nil)
	if resp, _ := e.do(t, req); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("stale signature: status %d, want 401", resp.StatusCode)
	}

	// Token auth.
	for tok, want := range map[string]int{DemoAuthToken: 200, "nope": 401} {
		req, _ = http.NewRequest(http.MethodGet, e.ts.URL+jobPath("ecs", "ecs-success"), nil)
		req.Header.Set("X-Auth-Token", tok)
		if resp, _ := e.do(t, req); resp.StatusCode != want {
			t.Errorf("token %q: status %d, want %d", tok, resp.StatusCode, want)
		}
	}
}

func FuzzVerify(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.Method, v.URL, v.Headers["Authorization"], v.XSdkDate, v.Headers["User-Agent"], v.Body)
	}
	f.Add("GET", "http://h/%zz?a=%", "SDK-HMAC-SHA256 ", "", "", "")
	f.Add("GET", "/", "SDK-HMAC-SHA256 Access=A, SignedHeaders=;;host, Signature=", "20240115T080910Z", "", "")
	ver := &verifier{
		creds:  map[string]Credential{"HWCJOBSEXAMPLEAK0001": {SecretKey: "hwcjobs-example-secret-key-0001"}},
		tokens: []string{DemoAuthToken},
		now:    func() time.Time { return time.Date(2024, 1, 15, 8, 9, 10, 0, time.UTC) },
	}
	f.Fuzz(func(t *testing.T, method, target, auth, date, ua, body string) {
		req := &http.Request{Method: method, Header: http.Header{}, Host: "h"}
		u, err := parseURLLoose(target)
		if err != nil {
			return
		}
		req.URL = u
		req.Header.Set("Authorization", auth)
		req.Header.Set("X-Sdk-Date", date)
		req.Header.Set("User-Agent", ua)
		req.Header.Set("X-Project-Id", ua)
		_ = ver.verify(req, []byte(body))
	})
}
