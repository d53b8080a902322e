package hwc

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// The wire constants of Huawei Cloud's SDK-HMAC-SHA256 signing, as described
// by the official SDK. They are exported so that tests and tools can name them
// rather than repeat the literals.
const (
	// SigningAlgorithm is the algorithm name that starts the string to sign
	// and the Authorization header.
	SigningAlgorithm = "SDK-HMAC-SHA256"
	// HeaderSdkDate carries the signing time; it is always signed.
	HeaderSdkDate = "X-Sdk-Date"
	// SdkDateLayout is the Go layout of X-Sdk-Date (UTC, basic ISO 8601).
	SdkDateLayout = "20060102T150405Z"
	// HeaderContentSha256, when present, replaces the body hash verbatim.
	HeaderContentSha256 = "X-Sdk-Content-Sha256"
	// UnsignedPayload is the only value the SDK ever puts in X-Sdk-Content-Sha256.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
	// HeaderSecurityToken carries the token of temporary AK/SK; it is signed.
	HeaderSecurityToken = "X-Security-Token"
	// HeaderAuthToken carries an IAM token when the client does not sign.
	HeaderAuthToken = "X-Auth-Token"
)

// Signer signs requests with an access key / secret key pair exactly as
// Huawei Cloud's official Go SDK does (SDK-HMAC-SHA256), so that the API
// gateway, and the project's emulator, accept them.
type Signer struct {
	// AccessKey is the AK, sent in clear in the Authorization header.
	AccessKey string
	// SecretKey is the SK, used only as the HMAC key; it never leaves the process.
	SecretKey string
	// SecurityToken, for temporary credentials, is sent as X-Security-Token
	// and signed; empty for permanent keys.
	SecurityToken string
}

// Sign adds X-Sdk-Date (unless r already holds a parseable one, which is
// kept so a caller can pin the date), X-Security-Token when the signer has
// one, X-Sdk-Content-Sha256 for non-JSON content types (as the SDK does), and
// finally Authorization. body must be the exact bytes that will be sent:
// the signature covers them. Any earlier Authorization is replaced, so a
// request may be signed again.
func (s Signer) Sign(r *http.Request, body []byte, now time.Time) error {
	if s.AccessKey == "" || s.SecretKey == "" {
		return errors.New("hwc: signing needs both an access key and a secret key")
	}
	if r == nil || r.URL == nil {
		return errors.New("hwc: cannot sign a request without a URL")
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	// Authorization is our output; left in place it would sign itself.
	deleteHeaderFold(r.Header, "Authorization", "")
	// The SDK would list a second spelling of the date header twice and
	// the gateway rejects repeats, so keep only the canonical one.
	deleteHeaderFold(r.Header, HeaderSdkDate, HeaderSdkDate)

	date := ""
	if v := r.Header[HeaderSdkDate]; len(v) == 1 {
		if _, err := time.Parse(SdkDateLayout, v[0]); err == nil {
			date = v[0]
		}
	}
	if date == "" {
		date = now.UTC().Format(SdkDateLayout)
		r.Header[HeaderSdkDate] = []string{date}
	}
	if s.SecurityToken != "" {
		r.Header.Set(HeaderSecurityToken, s.SecurityToken)
	}
	_, hasPayloadHeader := headerFold(r.Header, HeaderContentSha256)
	if ct := r.Header.Get("Content-Type"); ct != "" && !hasPayloadHeader &&
		!strings.Contains(ct, "application/json") && !strings.Contains(ct, "application/bson") {
		// The SDK does not hash bodies it treats as opaque streams.
		r.Header.Set(HeaderContentSha256, UnsignedPayload)
	}

	canon, signed := CanonicalRequest(r, body)
	sig := Signature(StringToSign(canon, date), s.SecretKey)
	r.Header.Set("Authorization", AuthorizationHeader(s.AccessKey, signed, sig))
	return nil
}

// CanonicalRequest returns the canonical request of r (method, canonical
// URI, canonical query, canonical headers, signed headers, payload hash,
// joined with "\n") and the signed header list (lower-case names joined
// with ";"). It signs every header r holds, except names starting with
// "content-type" or containing "_"; Host only if it is an explicit r.Header
// entry, because Go's transport writes the Host line from the URL after
// signing, as the SDK's does.
func CanonicalRequest(r *http.Request, body []byte) (canonical, signedHeaders string) {
	method := r.Method
	if method == "" {
		method = http.MethodGet // what net/http sends for an empty Method
	}
	u := r.URL
	if u == nil {
		u = &url.URL{}
	}
	headers, names := canonicalHeaders(r.Header)
	signedHeaders = strings.Join(names, ";")
	canonical = strings.Join([]string{
		method,
		CanonicalURI(u.Path),
		CanonicalQuery(u.RawQuery),
		headers,
		signedHeaders,
		payloadHash(r.Header, body),
	}, "\n")
	return canonical, signedHeaders
}

// CanonicalURI escapes each '/'-separated segment of a decoded path and
// makes sure the result ends in '/', as the SDK does: "/v3/projects" gives
// "/v3/projects/", "" and "/" give "/".
func CanonicalURI(decodedPath string) string {
	segments := strings.Split(decodedPath, "/")
	for i, s := range segments {
		segments[i] = escapeSigning(s)
	}
	uri := strings.Join(segments, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	return uri
}

// CanonicalQuery decodes a raw query string into (key, value) pairs, sorts
// them by raw key then raw value (sorting escaped forms would order
// "w%C3%A9b" before "web b"), and emits escape(key)=escape(value) joined
// with '&'. A bare key gives "key=". A malformed escape is kept literally,
// which can only make the server reject the signature, never panic.
func CanonicalQuery(rawQuery string) string {
	type pair struct{ k, v string }
	var pairs []pair
	for _, part := range strings.Split(rawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		pairs = append(pairs, pair{unescapeQuery(k), unescapeQuery(v)})
	}
	sort.SliceStable(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = escapeSigning(p.k) + "=" + escapeSigning(p.v)
	}
	return strings.Join(out, "&")
}

// StringToSign joins the algorithm, the X-Sdk-Date value and the hex SHA-256
// of the canonical request with "\n".
func StringToSign(canonicalRequest, sdkDate string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return SigningAlgorithm + "\n" + sdkDate + "\n" + hex.EncodeToString(sum[:])
}

// Signature is the hex HMAC-SHA256 of the string to sign, keyed with the
// secret key's bytes as they are (SDK-HMAC-SHA256 derives no scoped key).
func Signature(stringToSign, secretKey string) string {
	m := hmac.New(sha256.New, []byte(secretKey))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

// AuthorizationHeader formats the Authorization value the gateway parses.
func AuthorizationHeader(accessKey, signedHeaders, signature string) string {
	return SigningAlgorithm + " Access=" + accessKey + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature
}

// canonicalHeaders renders the header block (each line ending in "\n") and
// the sorted signed names. Spellings that differ only in case are merged
// into one name, so a name is never listed twice.
func canonicalHeaders(h http.Header) (string, []string) {
	values := make(map[string][]string)
	for name, vs := range h {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "content-type") || strings.Contains(lower, "_") {
			continue
		}
		for _, v := range vs {
			values[lower] = append(values[lower], strings.TrimSpace(v))
		}
		if len(vs) == 0 {
			values[lower] = append(values[lower], "")
		}
	}
	names := make([]string, 0, len(values))
	for n := range values {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		vs := values[n]
		sort.Strings(vs)
		for _, v := range vs {
			b.WriteString(n)
			b.WriteByte(':')
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
	return b.String(), names
}

func payloadHash(h http.Header, body []byte) string {
	if v, ok := headerFold(h, HeaderContentSha256); ok {
		// HTTP drops a value's outer blanks on the wire: hash what the
		// server reads.
		return strings.Trim(v, " \t")
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// escapeSigning percent-encodes every byte outside A-Z a-z 0-9 - _ . ~ with
// upper-case hex; unlike url.PathEscape it also escapes "+$&,:;=@!*'()".
func escapeSigning(s string) string {
	const hexUpper = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
	return b.String()
}

func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// headerFold reads a header whatever the spelling of its name, because a
// caller may have written into the map directly.
func headerFold(h http.Header, name string) (string, bool) {
	if vs, ok := h[http.CanonicalHeaderKey(name)]; ok && len(vs) > 0 {
		return vs[0], true
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0], true
		}
	}
	return "", false
}

// deleteHeaderFold removes every spelling of name except keep (exact).
func deleteHeaderFold(h http.Header, name, keep string) {
	for k := range h {
		if strings.EqualFold(k, name) && k != keep {
			delete(h, k)
		}
	}
}
