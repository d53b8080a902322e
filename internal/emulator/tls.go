package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"time"
)

// SelfSignedCertificate makes a fresh ECDSA P-256 certificate for
// 127.0.0.1, ::1 and localhost, valid from an hour ago for 30 days and
// signed by its own key, so that the emulator can serve HTTPS that no
// client trusts unless told to (the provider's insecure = true, or a pool
// holding Leaf). The key lives only in memory. Leaf is set.
func SelfSignedCertificate() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("emulator certificate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("emulator certificate serial: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"hwcjobs emulator"}, CommonName: "hwcjobs emulator (self-signed)"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true, // self-signed: it is its own issuer
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("emulator certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("emulator certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// CertificatePEM returns the PEM encoding of cert's leaf (the first
// certificate of its chain), for a client that wants to trust it.
func CertificatePEM(cert tls.Certificate) []byte {
	if len(cert.Certificate) == 0 {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
}

// WriteCertificatePEM writes cert's leaf as PEM to path (mode 0644), so
// that a client can be given it as its CA bundle: the emulator's
// self-signed certificate is its own certificate authority.
func WriteCertificatePEM(path string, cert tls.Certificate) error {
	data := CertificatePEM(cert)
	if data == nil {
		return fmt.Errorf("emulator certificate: nothing to write to %s", path)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil { //nolint:gosec // a certificate is public
		return fmt.Errorf("emulator certificate: %w", err)
	}
	return nil
}
