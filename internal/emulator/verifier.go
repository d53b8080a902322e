package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Demo credentials: the emulator accepts these unless Options names others.
// They are not secrets; never use them anywhere but against the emulator.
const (
	DemoAccessKey = "HWCJOBSDEMOACCESSKEY"
	DemoSecretKey = "hwcjobs-demo-secret-key-do-not-use"
	DemoAuthToken = "hwcjobs-demo-token"
)

const (
	signAlgorithm   = "SDK-HMAC-SHA256"
	sdkDateLayout   = "20060102T150405Z"
	maxClockSkew    = 15 * time.Minute
	unsignedPayload = "UNSIGNED-PAYLOAD"
	maxSignedBody   = 1 << 20
)

// Credential is the secret half of an access key known to the emulator.
// A non-empty SecurityToken makes it a temporary key: requests must then
// carry and sign that X-Security-Token.
type Credential struct {
	SecretKey     string `json:"secret_key"`
	SecurityToken string `json:"security_token,omitempty"`
}

// verifier checks SDK-HMAC-SHA256 signatures and IAM tokens as Huawei
// Cloud's API gateway does. It is written from the signing specification,
// independently of the provider's signer, so that the two check each other.
type verifier struct {
	creds  map[string]Credential
	tokens []string
	now    func() time.Time
	// temp holds the temporary keys issued by assume_role and the metadata
	// route, and the skew of the gateway clock (see account.go).
	temp tempKeys
}

// errAuth wraps every reason a request is refused; the reason is for logs
// and tests only, the client always gets the same gateway answer.
var errAuth = errors.New("authentication failed")

func authErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errAuth, fmt.Sprintf(format, args...))
}

// verify accepts r if it is correctly signed or carries a valid token.
// body is the request body as received (the caller has read it).
func (v *verifier) verify(r *http.Request, body []byte) error {
	auths := r.Header.Values("Authorization")
	if len(auths) == 0 {
		return v.verifyToken(r)
	}
	if len(auths) > 1 {
		return authErr("several Authorization headers")
	}
	access, signedNames, signature, err := parseAuthorization(auths[0])
	if err != nil {
		return err
	}
	names := strings.Split(signedNames, ";")
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if n == "" {
			return authErr("empty name in SignedHeaders")
		}
		key := strings.ToLower(n)
		if seen[key] {
			return authErr("%q listed twice in SignedHeaders", n)
		}
		seen[key] = true
		if key == "host" {
			if r.Host == "" {
				return authErr("host is signed but the request has no host")
			}
			continue
		}
		if len(headerValues(r.Header, n)) == 0 {
			return authErr("signed header %q is missing", n)
		}
	}
	if !seen["x-sdk-date"] {
		return authErr("x-sdk-date is not signed")
	}

	dates := headerValues(r.Header, "X-Sdk-Date")
	if len(dates) != 1 {
		return authErr("want exactly one X-Sdk-Date, got %d", len(dates))
	}
	date := dates[0]
	signedAt, err := time.Parse(sdkDateLayout, date)
	if err != nil {
		return authErr("bad X-Sdk-Date %q", date)
	}
	now := v.clock()
	if skew := now.Sub(signedAt); skew > maxClockSkew || skew < -maxClockSkew {
		return &skewError{signedAt: signedAt, serverTime: now}
	}

	cred, ok := v.creds[access]
	if !ok {
		var err error
		if cred, err = v.temp.lookup(access, now); err != nil {
			return err
		}
	}
	tokens := headerValues(r.Header, "X-Security-Token")
	switch {
	case len(tokens) > 0 && !seen["x-security-token"]:
		return authErr("X-Security-Token is not signed")
	case len(tokens) > 1:
		return authErr("several X-Security-Token headers")
	case cred.SecurityToken != "" && len(tokens) == 0:
		return authErr("temporary access key %q without X-Security-Token", access)
	case len(tokens) == 1 && (cred.SecurityToken == "" ||
		subtle.ConstantTimeCompare([]byte(tokens[0]), []byte(cred.SecurityToken)) != 1):
		return authErr("security token does not belong to access key %q", access)
	}

	payloadHash := hexSHA256(body)
	if hashes := headerValues(r.Header, "X-Sdk-Content-Sha256"); len(hashes) > 0 {
		// The header decides whether the body is hashed, so it must itself
		// be signed, or anyone could swap a body under UNSIGNED-PAYLOAD.
		if !seen["x-sdk-content-sha256"] || len(hashes) > 1 {
			return authErr("X-Sdk-Content-Sha256 must be signed, once")
		}
		payloadHash = hashes[0]
	}

	canonicalQuery, err := canonicalQueryString(r.URL.RawQuery)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL.Path))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery)
	b.WriteByte('\n')
	for _, n := range names {
		var values []string
		if strings.EqualFold(n, "host") {
			values = []string{r.Host}
		} else {
			values = append(values, headerValues(r.Header, n)...)
		}
		for i := range values {
			values[i] = strings.TrimSpace(values[i])
		}
		sort.Strings(values)
		for _, val := range values {
			b.WriteString(n)
			b.WriteByte(':')
			b.WriteString(val)
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	b.WriteString(signedNames)
	b.WriteByte('\n')
	b.WriteString(payloadHash)

	stringToSign := signAlgorithm + "\n" + date + "\n" + hexSHA256([]byte(b.String()))
	mac := hmac.New(sha256.New, []byte(cred.SecretKey))
	mac.Write([]byte(stringToSign))
	want := hex.EncodeToString(mac.Sum(nil))
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return authErr("signature mismatch")
	}
	return nil
}

func (v *verifier) verifyToken(r *http.Request) error {
	got := r.Header.Values("X-Auth-Token")
	if len(got) == 0 {
		return authErr("neither Authorization nor X-Auth-Token")
	}
	if len(got) > 1 || got[0] == "" {
		return authErr("bad X-Auth-Token")
	}
	valid := 0
	for _, t := range v.tokens {
		valid |= subtle.ConstantTimeCompare([]byte(got[0]), []byte(t))
	}
	if valid != 1 {
		return authErr("unknown X-Auth-Token")
	}
	return nil
}

// parseAuthorization splits
// "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex".
func parseAuthorization(h string) (access, signedHeaders, signature string, err error) {
	alg, rest, ok := strings.Cut(h, " ")
	if !ok || alg != signAlgorithm {
		return "", "", "", authErr("algorithm is not %s", signAlgorithm)
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", "", "", authErr("malformed Authorization part %q", part)
		}
		if _, dup := fields[k]; dup {
			return "", "", "", authErr("%s given twice in Authorization", k)
		}
		fields[k] = val
	}
	access, signedHeaders, signature = fields["Access"], fields["SignedHeaders"], fields["Signature"]
	if access == "" || signedHeaders == "" || signature == "" {
		return "", "", "", authErr("Authorization lacks Access, SignedHeaders or Signature")
	}
	return access, signedHeaders, signature, nil
}

// headerValues returns every value of the header name, matched without
// regard to case so that odd spellings (x_legacy_flag) are found too.
func headerValues(h http.Header, name string) []string {
	if v := h.Values(name); len(v) > 0 {
		return v
	}
	var out []string
	for k, v := range h {
		if strings.EqualFold(k, name) {
			out = append(out, v...)
		}
	}
	return out
}

// canonicalURI re-escapes the decoded path segment by segment and ends it
// with "/".
func canonicalURI(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = escapeSegment(s)
	}
	out := strings.Join(segs, "/")
	if !strings.HasSuffix(out, "/") {
		out += "/"
	}
	return out
}

// canonicalQueryString sorts the decoded pairs by raw key, then raw value,
// and re-escapes them.
func canonicalQueryString(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "", authErr("bad query: %v", err)
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		values := append([]string(nil), q[k]...)
		sort.Strings(values)
		for _, v := range values {
			parts = append(parts, escapeSegment(k)+"="+escapeSegment(v))
		}
	}
	return strings.Join(parts, "&"), nil
}

// escapeSegment keeps A-Z a-z 0-9 - _ . ~ and writes every other byte as
// upper-case %XX.
func escapeSegment(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
