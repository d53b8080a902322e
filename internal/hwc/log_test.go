package hwc

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// TestLogsNeverHoldSecrets captures TRACE output, where every request
// header is logged, and checks that no credential reaches it while the
// useful fields do.
func TestLogsNeverHoldSecrets(t *testing.T) {
	var (
		mu         sync.Mutex
		signatures []string
	)
	srv := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if i := strings.Index(auth, "Signature="); i >= 0 {
			mu.Lock()
			signatures = append(signatures, auth[i+len("Signature="):])
			mu.Unlock()
		}
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("X-Request-Id", "rid-42")
		fmt.Fprint(w, "{}")
	})

	const authToken = "hwcjobs-test-auth-token-do-not-log"
	signing, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.SecurityToken = testToken })
	tokenClient, err := New(Config{Region: testRegion, ProjectID: testProj, AuthToken: authToken, Endpoints: allEndpoints(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	if _, err := signing.Get(ctx, jobRequest); err != nil {
		t.Fatal(err)
	}
	if _, err := tokenClient.Get(ctx, jobRequest); err != nil {
		t.Fatal(err)
	}
	out := buf.String()

	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatalf("decoding the log: %v", err)
	}
	var sawTrace, sawDebug, sawWarn bool
	for _, e := range entries {
		if e["@module"] != "provider.hwc" {
			t.Errorf("entry outside the hwc subsystem: %v", e)
		}
		switch e["@level"] {
		case "trace":
			sawTrace = sawTrace || e["User-Agent"] == DefaultUserAgent && e["Authorization"] == "***"
		case "debug":
			sawDebug = sawDebug || e["method"] == "GET" && e["path"] == "/v1/"+testProj+"/jobs/j1" &&
				e["status"] == float64(200) && e["request_id"] == "rid-42" && e["attempt"] == float64(2) && e["duration_ms"] != nil
		case "warn":
			sawWarn = sawWarn || e["delay_ms"] != nil && strings.Contains(fmt.Sprint(e["reason"]), "HTTP 503")
		}
	}
	if !sawTrace || !sawDebug || !sawWarn {
		t.Errorf("trace %v, debug %v, warn %v entries as expected; log:\n%s", sawTrace, sawDebug, sawWarn, out)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(signatures) != 2 {
		t.Fatalf("captured %d signatures, want 2 (a 503 and its retry)", len(signatures))
	}
	for what, secret := range map[string]string{
		"secret key": testSK, "security token": testToken, "auth token": authToken,
		"signature 1": signatures[0], "signature 2": signatures[1],
	} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds the %s", what)
		}
	}
	for _, want := range []string{`"X-Security-Token":"***"`, `"X-Auth-Token":"***"`, `"Authorization":"***"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %s", want)
		}
	}
}
