package hwc_test

// The provider's signer against the emulator's verifier, written apart
// from each other from the signing specification: whatever hwc.Signer signs, the
// emulator must accept once the request has crossed the wire (written by
// net/http's client code and parsed back by its server code), and must
// refuse once a signed byte changes.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/testsupport/signvectors"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

type crossVector struct {
	Name          string            `json:"name"`
	SecurityToken string            `json:"security_token"`
	ProjectID     string            `json:"project_id"`
	Method        string            `json:"method"`
	URL           string            `json:"url"`
	Headers       map[string]string `json:"headers"`
	Body          string            `json:"body"`
}

func crossVectors(tb testing.TB) []crossVector {
	tb.Helper()
	var file struct {
		Vectors []crossVector `json:"vectors"`
	}
	if err := json.Unmarshal(signvectors.JSON, &file); err != nil || len(file.Vectors) == 0 {
		tb.Fatalf("decoding the signing vectors: %d vectors, %v", len(file.Vectors), err)
	}
	return file.Vectors
}

// The credentials and the fixed clock of the cross-check.
const (
	crossAK    = "CROSSCHECKACCESSKEY"
	crossSK    = "cross-check-secret"
	crossToken = "cross-check-security-token"
)

var crossNow = time.Date(2024, 1, 15, 8, 9, 10, 0, time.UTC)

// headersSetElsewhere are the headers the fuzzer's extra header may not
// name: the transport writes them itself (host, framing, hop-by-hop), the
// signer owns them (authorization, date, security token), or the
// test sets them (user agent, content type, project).
var headersSetElsewhere = map[string]bool{
	"host": true, "content-length": true, "transfer-encoding": true, "trailer": true, "te": true,
	"connection": true, "keep-alive": true, "proxy-connection": true, "upgrade": true, "expect": true,
	"authorization": true, "x-sdk-date": true, "x-security-token": true,
	"user-agent": true, "content-type": true, "x-project-id": true,
}

func FuzzSignerVerifier(f *testing.F) {
	standard := map[string]bool{"host": true, "authorization": true, "x-sdk-date": true, "content-length": true,
		"accept-encoding": true, "user-agent": true, "x-project-id": true, "x-security-token": true, "content-type": true}
	for _, v := range crossVectors(f) {
		u, err := url.Parse(v.URL)
		if err != nil {
			f.Fatalf("vector %s: %v", v.Name, err)
		}
		var extraName, extraValue, userAgent, contentType string
		names := make([]string, 0, len(v.Headers))
		for name := range v.Headers {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			switch lower := strings.ToLower(name); {
			case lower == "user-agent":
				userAgent = v.Headers[name]
			case lower == "content-type":
				contentType = v.Headers[name]
			case !standard[lower] && extraName == "":
				extraName, extraValue = name, v.Headers[name]
			}
		}
		f.Add(v.Method, u.Path, u.RawQuery, extraName, extraValue, contentType, userAgent, v.ProjectID, v.Body, v.SecurityToken != "")
	}
	f.Add("GET", "/ecs/v1/p/jobs/a b/ü/%2F/+$&,:;=@!*'()", "b=2&a=web b&a=web+a&a=w%C3%A9b&empty", "X-Client", "  inner  space ", "", "ua/1", "p", "", false)
	f.Add("post", "", "", "x_underscore", "", "text/plain", "", "", "raw body\n", true)
	f.Add("DELETE", "//double//slash/", "k=%00", "X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD", "multipart/form-data", "", "", "\xff\xfe", false)

	perm := emulator.New(emulator.Options{
		Credentials:   map[string]emulator.Credential{crossAK: {SecretKey: crossSK}},
		VerifierClock: func() time.Time { return crossNow },
	})
	temp := emulator.New(emulator.Options{
		Credentials:   map[string]emulator.Credential{crossAK: {SecretKey: crossSK, SecurityToken: crossToken}},
		VerifierClock: func() time.Time { return crossNow },
	})

	f.Fuzz(func(t *testing.T, method, path, rawQuery, extraName, extraValue, contentType, userAgent, projectID, body string, temporary bool) {
		// Only what a client can send: a token method, a query that
		// parses (the client builds it from url.Values), header values
		// the transport accepts.
		if !validToken(method) || strings.EqualFold(method, http.MethodConnect) {
			t.Skip()
		}
		query, err := url.ParseQuery(rawQuery)
		if err != nil {
			t.Skip()
		}
		for _, v := range []string{extraValue, contentType, userAgent, projectID} {
			if !validHeaderValue(v) {
				t.Skip()
			}
		}
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		if strings.HasPrefix(path, "/_emulator") {
			t.Skip() // the emulator's admin routes are not signed
		}
		u := &url.URL{Scheme: "http", Host: "127.0.0.1:8080", Path: path, RawQuery: encodeQueryLikeTheClient(query)}
		r := &http.Request{
			Method: method, URL: u, Host: u.Host, Header: http.Header{},
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			ContentLength: int64(len(body)),
		}
		if body != "" {
			r.Body = io.NopCloser(strings.NewReader(body))
		}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		if userAgent != "" {
			r.Header.Set("User-Agent", userAgent)
		}
		if projectID != "" {
			r.Header.Set("X-Project-Id", projectID)
		}
		if validToken(extraName) && !headersSetElsewhere[strings.ToLower(extraName)] {
			r.Header[extraName] = append(r.Header[extraName], extraValue) // as written, not canonicalised
		}
		signer, emu := hwc.Signer{AccessKey: crossAK, SecretKey: crossSK}, perm
		if temporary {
			signer.SecurityToken, emu = crossToken, temp
		}
		if err := signer.Sign(r, []byte(body), crossNow); err != nil {
			t.Fatalf("Sign: %v", err)
		}

		got, gotBody := overTheWire(t, r)
		if err := refusal(emu, got, gotBody); err != "" {
			signed := r.Clone(r.Context())
			signed.Header.Del("Authorization")
			canon, _ := hwc.CanonicalRequest(signed, []byte(body))
			t.Fatalf("the emulator refused what the signer signed: %v\nAuthorization: %s\nsigner's canonical request:\n%s",
				err, r.Header.Get("Authorization"), canon)
		}
		// The verifier is not a yes-man: one more query pair, or a body
		// changed under a hashed payload, is refused.
		tampered := got.Clone(got.Context())
		tampered.URL.RawQuery = strings.TrimPrefix(got.URL.RawQuery+"&tampered=1", "&")
		if refusal(emu, tampered, gotBody) == "" {
			t.Fatal("the emulator accepted a request whose query changed after signing")
		}
		// Any X-Sdk-Content-Sha256, even an empty one, stands for the hash.
		if _, declared := got.Header[http.CanonicalHeaderKey(hwc.HeaderContentSha256)]; !declared {
			if refusal(emu, got, append(append([]byte{}, gotBody...), 'x')) == "" {
				t.Fatal("the emulator accepted a request whose body changed after signing")
			}
		}
	})
}

// refusal hands r, with body, to the emulator in process as its server
// would, and returns why its gateway refused it, or "" when it let it
// through (any answer but 401).
func refusal(emu *emulator.Server, r *http.Request, body []byte) string {
	r = r.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	emu.ServeHTTP(rec, r)
	if rec.Code != http.StatusUnauthorized {
		return ""
	}
	return "HTTP 401: " + rec.Header().Get("X-Emulator-Auth-Error")
}

// overTheWire writes r as net/http's client would send it and parses it
// back as net/http's server would receive it.
func overTheWire(t *testing.T, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	var wire bytes.Buffer
	if err := r.Write(&wire); err != nil {
		t.Skipf("net/http will not write this request: %v", err)
	}
	got, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(wire.Bytes())))
	if err != nil {
		t.Fatalf("net/http wrote a request it cannot read back: %v\n%q", err, wire.String())
	}
	body, err := io.ReadAll(got.Body)
	if err != nil {
		t.Fatalf("reading the body back: %v", err)
	}
	return got, body
}

// encodeQueryLikeTheClient writes a query as hwc.Client does (the SDK's rule:
// keys sorted, values in order, %20 for a space, a bare key for "").
func encodeQueryLikeTheClient(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			if v == "" {
				parts = append(parts, esc(k))
			} else {
				parts = append(parts, esc(k)+"="+esc(v))
			}
		}
	}
	return strings.Join(parts, "&")
}

// validToken is RFC 9110's token: a method or a header name.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// validHeaderValue refuses what the transport refuses: control bytes other
// than tab.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// TestClientRequestsPassTheVerifier sends requests with awkward path
// parameters and query values through the real client to the emulator on
// loopback: every one must be accepted (an unknown path is a 404 after
// authentication, never a 401).
func TestClientRequestsPassTheVerifier(t *testing.T) {
	e := newFaultEnv(t, 0, 2*time.Second, false)
	for _, tc := range []struct {
		jobID string
		query url.Values
	}{
		{"plain", nil},
		{"ü-ñ-日本", url.Values{"b": {"web b", "web+a", "wéb"}, "a": {""}}},
		{"+$&,:;=@!*'()", url.Values{"k ey": {"v=1&x"}, "%": {"%2F"}}},
		{"~._-", url.Values{"limit": {"2"}, "marker": {"a/b?c#d"}}},
	} {
		_, err := e.client.Get(t.Context(), hwc.Request{
			Service: "ecs", Path: "/v1/{project_id}/jobs/{job_id}",
			Params: map[string]string{"project_id": emulator.DefaultProjectID, "job_id": tc.jobID},
			Query:  tc.query,
		})
		if !hwc.IsNotFound(err) {
			t.Errorf("job %q, query %v: want the service's 404 (signature accepted), got %v", tc.jobID, tc.query, err)
		}
	}
	if c := e.emu.Counters(); c.Statuses[http.StatusUnauthorized] != 0 {
		t.Errorf("statuses %v: the emulator refused a signature", c.Statuses)
	}
}

// TestServiceNotFoundBodies reads a job that does not exist of every
// service through the client: each service's 404 body (for EVS, the error
// example of its API page, verbatim) is reported as not found, with the
// code and the message the body carries.
func TestServiceNotFoundBodies(t *testing.T) {
	srv := httptest.NewServer(emulator.New(emulator.Options{}))
	t.Cleanup(srv.Close)
	c, err := hwc.New(hwc.Config{
		Region: emulator.DefaultRegion, ProjectID: emulator.DefaultProjectID,
		AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey,
		Endpoints: emulatorEndpoints(srv.URL), MaxRetries: 0,
	})
	if err != nil {
		t.Fatal(err)
	}
	const jobID = "no-such-job"
	for _, svc := range service.All() {
		_, err := c.Get(t.Context(), hwc.Request{
			Service: svc.Name, Host: svc.Host, Path: svc.Path,
			Params: map[string]string{"project_id": emulator.DefaultProjectID, "job_id": jobID},
		})
		var apiErr *hwc.APIError
		if !errors.As(err, &apiErr) || !hwc.IsNotFound(err) {
			t.Errorf("%s: want the service's 404, got %v", svc.Name, err)
			continue
		}
		// Every string the body carries, wherever it sits.
		body := strings.NewReplacer("{job_id}", jobID, "{request_id}", apiErr.RequestID).Replace(svc.NotFound)
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatalf("%s: 404 body: %v", svc.Name, err)
		}
		says := map[string]bool{}
		var walk func(any)
		walk = func(x any) {
			switch x := x.(type) {
			case string:
				says[x] = true
			case map[string]any:
				for _, y := range x {
					walk(y)
				}
			}
		}
		walk(v)
		if apiErr.Code == "" || apiErr.Message == "" || !says[apiErr.Code] || !says[apiErr.Message] {
			t.Errorf("%s: code %q and message %q are not those of the 404 body %s", svc.Name, apiErr.Code, apiErr.Message, body)
		}
	}
}
