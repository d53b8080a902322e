package hwc

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"golang.org/x/net/http/httpproxy"
)

// newTransport builds the client's own transport: Go's defaults (HTTP/2,
// pooling), the proxies of HTTPS_PROXY, HTTP_PROXY and NO_PROXY as they
// are when New runs (http.ProxyFromEnvironment would freeze them at the
// process's first request), the CA bundle and client certificate, and
// insecure as the last resort.
func newTransport(cfg Config) (*http.Transport, error) {
	t := &http.Transport{}
	if def, ok := http.DefaultTransport.(*http.Transport); ok {
		t = def.Clone()
	}
	proxy := httpproxy.FromEnvironment().ProxyFunc()
	t.Proxy = func(r *http.Request) (*url.URL, error) { return proxy(r.URL) }
	if cfg.DialContext != nil {
		t.DialContext = cfg.DialContext
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.CACertFile != "" {
		pool, err := loadCABundle(cfg.CACertFile)
		if err != nil {
			return nil, err
		}
		tlsConfig.RootCAs = pool
	}
	switch {
	case cfg.CertFile != "" && cfg.KeyFile == "":
		return nil, errors.New("hwc: cert (OS_CERT) is set but key (OS_KEY) is not: a client certificate needs its private key")
	case cfg.KeyFile != "" && cfg.CertFile == "":
		return nil, errors.New("hwc: key (OS_KEY) is set but cert (OS_CERT) is not: a client certificate needs both")
	case cfg.CertFile != "":
		certPEM, err := pemOrFile(cfg.CertFile, "cert (OS_CERT)")
		if err != nil {
			return nil, err
		}
		keyPEM, err := pemOrFile(cfg.KeyFile, "key (OS_KEY)")
		if err != nil {
			return nil, err
		}
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			// The parser's message names no key material.
			return nil, fmt.Errorf("hwc: cert (OS_CERT) and key (OS_KEY) are not a PEM certificate and its matching private key: %w", err)
		}
		tlsConfig.Certificates = []tls.Certificate{pair}
	}
	if cfg.Insecure {
		tlsConfig.InsecureSkipVerify = true //nolint:gosec // the user asked for it (insecure = true)
	}
	t.TLSClientConfig = tlsConfig
	return t, nil
}

// loadCABundle returns the system roots plus the bundle's certificates.
func loadCABundle(path string) (*x509.CertPool, error) {
	const setting = "cacert_file (HW_CACERT_FILE or OS_CACERT)"
	data, err := pemOrFile(path, setting)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("hwc: %s: %s holds no PEM certificate (expected -----BEGIN CERTIFICATE----- blocks)", setting, path)
	}
	return pool, nil
}

// pemOrFile reads a file, unless value is PEM text itself.
func pemOrFile(value, setting string) ([]byte, error) {
	if strings.HasPrefix(strings.TrimSpace(value), "-----BEGIN") {
		return []byte(value), nil
	}
	data, err := os.ReadFile(value) //nolint:gosec // G304: the file the user named
	if err != nil {
		return nil, fmt.Errorf("hwc: %s: cannot read %s: %w", setting, value, errors.Unwrap(err))
	}
	return data, nil
}
