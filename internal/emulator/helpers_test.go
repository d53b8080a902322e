package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// testSign signs r the way the signing specification describes, apart from the
// verifier so that the two check each other (and against the vectors in
// TestTestSignerMatchesVectors). It signs user-agent (if set), every
// X-Security-Token and x-sdk-date, and hashes body.
func testSign(r *http.Request, ak, sk string, at time.Time, body []byte) {
	date := at.UTC().Format("20060102T150405Z")
	r.Header.Set("X-Sdk-Date", date)
	names := []string{}
	for _, n := range []string{"user-agent", "x-project-id", "x-sdk-date", "x-security-token"} {
		if r.Header.Get(n) != "" {
			names = append(names, n)
		}
	}
	canonical := testCanonicalRequest(r, names, body)
	sum := sha256.Sum256([]byte(canonical))
	sts := "SDK-HMAC-SHA256\n" + date + "\n" + hex.EncodeToString(sum[:])
	mac := hmac.New(sha256.New, []byte(sk))
	mac.Write([]byte(sts))
	r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+ak+", SignedHeaders="+strings.Join(names, ";")+
		", Signature="+hex.EncodeToString(mac.Sum(nil)))
}

func testCanonicalRequest(r *http.Request, names []string, body []byte) string {
	esc := func(s string) string {
		var b strings.Builder
		for _, c := range []byte(s) {
			if strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~", c) >= 0 {
				b.WriteByte(c)
			} else {
				b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
			}
		}
		return b.String()
	}
	segs := strings.Split(r.URL.Path, "/")
	for i := range segs {
		segs[i] = esc(segs[i])
	}
	path := strings.Join(segs, "/")
	if !strings.HasSuffix(path, "/") {
		path += "/"
	}
	q, _ := url.ParseQuery(r.URL.RawQuery)
	var pairs []string
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, k+"\x00"+v)
		}
	}
	sort.Strings(pairs)
	for i, p := range pairs {
		k, v, _ := strings.Cut(p, "\x00")
		pairs[i] = esc(k) + "=" + esc(v)
	}
	var hdrs strings.Builder
	for _, n := range names {
		hdrs.WriteString(n + ":" + strings.TrimSpace(r.Header.Get(n)) + "\n")
	}
	hash := sha256.Sum256(body)
	return strings.Join([]string{r.Method, path, strings.Join(pairs, "&"), hdrs.String(), strings.Join(names, ";"), hex.EncodeToString(hash[:])}, "\n")
}

// env is an emulator behind a real loopback HTTP server, with a manual job
// clock.
type env struct {
	srv    *Server
	ts     *httptest.Server
	clock  *ManualClock
	client *http.Client
}

var testEpoch = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	clock := NewManualClock(testEpoch)
	if opts.JobClock == nil {
		opts.JobClock = clock
	}
	srv := New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	// No keep-alives: a dropped connection must surface as an error rather
	// than be retried by the transport on a fresh one.
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	return &env{srv: srv, ts: ts, clock: clock, client: client}
}

// get sends a GET signed with the demo credentials.
func (e *env) get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "hwcjobs-emulator-test")
	testSign(req, DemoAccessKey, DemoSecretKey, time.Now(), nil)
	return e.do(t, req)
}

func (e *env) do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return resp, body
}

// admin calls an admin route with a JSON body (nil for none).
func (e *env) admin(t *testing.T, method, path string, in any) (int, []byte) {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		body = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, e.ts.URL+"/_emulator/"+path, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, out := e.do(t, req)
	return resp.StatusCode, out
}

// jobPath is the emulator path of a job of a service (by name or host
// label) in the default project.
func jobPath(name, jobID string) string {
	svc := svcOf(name)
	return "/" + svc.Host + strings.NewReplacer("{project_id}", DefaultProjectID, "{job_id}", url.PathEscape(jobID)).Replace(svc.Path)
}

// svcOf finds a production service by name or host label.
func svcOf(name string) *service.Service {
	for _, svc := range service.All() {
		if svc.Name == name || svc.Host == name {
			return svc
		}
	}
	panic("unknown service " + name)
}

func decodeJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return m
}

func parseURLLoose(s string) (*url.URL, error) { return url.Parse(s) }

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }
