package emulator

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

func TestSelfSignedCertificate(t *testing.T) {
	cert, err := SelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	leaf := cert.Leaf
	key, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() {
		t.Errorf("public key %T, want ECDSA P-256", leaf.PublicKey)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(CertificatePEM(cert)) {
		t.Fatal("CertificatePEM is not a PEM certificate")
	}
	for _, host := range []string{"127.0.0.1", "::1", "localhost"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: pool}); err != nil {
			t.Errorf("%s: %v", host, err)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: pool}); err == nil {
		t.Error("the certificate is valid for example.com")
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "127.0.0.1"}); err == nil {
		t.Error("the system roots trust a self-signed certificate")
	}
	if other, _ := SelfSignedCertificate(); other.Leaf.SerialNumber.Cmp(leaf.SerialNumber) == 0 {
		t.Error("two certificates share a serial number")
	}
}

// TestListenAndServeTLS: HTTPS with the self-signed certificate, refused by
// a client that does not trust it, answered to one that does, over HTTP/2
// as Go's clients negotiate it, dropped connections included.
func TestListenAndServeTLS(t *testing.T) {
	srv := New(Options{})
	cert, err := SelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.ListenAndServeTLS(context.Background(), "0.0.0.0:0", cert); err == nil {
		t.Fatal("listening on 0.0.0.0 was allowed")
	}
	ctx, cancel := context.WithCancel(context.Background())
	url, done, err := srv.ListenAndServeTLS(ctx, "127.0.0.1:0", cert)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Errorf("url %s", url)
	}
	get := func(c *http.Client) (*http.Response, []byte, error) {
		req, _ := http.NewRequest(http.MethodGet, url+jobPath("ecs", SeedJobID(service.ECS)), nil)
		req.Header.Set("X-Auth-Token", DemoAuthToken)
		resp, err := c.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp, body, err
	}

	untrusting := &http.Client{Transport: &http.Transport{}, Timeout: 5 * time.Second}
	_, _, err = get(untrusting)
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("a client without the certificate: want x509.UnknownAuthorityError, got %v", err)
	}

	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	trusting := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	resp, body, err := get(trusting)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), SeedJobID(service.ECS)) {
		t.Fatalf("a client trusting the certificate: %v, %v", resp, err)
	}
	if resp.TLS == nil || resp.ProtoMajor != 2 {
		t.Errorf("proto %s, TLS %v: want HTTP/2 over TLS", resp.Proto, resp.TLS != nil)
	}
	if srv.Counters().Requests != 1 {
		t.Errorf("counters %+v: the refused handshake must not count as a request", srv.Counters())
	}

	// HTTP/2 has no connection to hijack: the drop faults abort the stream.
	for _, kind := range []FaultKind{FaultDrop, FaultDropMidBody} {
		if err := srv.InjectFault(Fault{Service: "ecs", Kind: kind}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := get(trusting); err == nil {
			t.Errorf("%s over HTTP/2: want an error", kind)
		}
		if resp, _, err := get(trusting); err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("after %s: %v, %v", kind, resp, err)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop")
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(url, "https://"), time.Second); err == nil {
		t.Error("still listening after shutdown")
	}
}
