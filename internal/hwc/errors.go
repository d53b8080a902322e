package hwc

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrTimeout is wrapped by the error of a request whose last attempt ran
// past Config.RequestTimeout. It is deliberately not context.DeadlineExceeded:
// a caller polling under its own deadline must be able to tell "one slow
// answer" from "my time is up".
var ErrTimeout = errors.New("no complete answer within the request timeout")

// APIError is a non-2xx answer from a Huawei Cloud API. It holds only what
// the server said and where we asked, never a credential, so it is safe to
// show in diagnostics and logs.
type APIError struct {
	// Method and Path are the request's, Path as sent (endpoint prefix included).
	Method, Path string
	// Status is the HTTP status code.
	Status int
	// Code is the service's error code, e.g. "Ecs.0114" or "APIGW.0301".
	Code string
	// Message is the service's message, or a printable excerpt of a body
	// that is not a known error shape, or the HTTP status text.
	Message string
	// RequestID identifies the call for Huawei Cloud support.
	RequestID string
	// AuthorizationMessage is a 403's encoded_authorization_message: the
	// encoded reason of an IAM policy denial, decodable by the account's
	// administrator.
	AuthorizationMessage string
}

// Error reads like "GET /v1/p/jobs/j: HTTP 404 Ecs.0114: Job not found
// (request id abc)", leaving out whatever is unknown.
func (e *APIError) Error() string {
	var b strings.Builder
	if e.Method != "" || e.Path != "" {
		b.WriteString(strings.TrimSpace(e.Method + " " + e.Path))
		b.WriteString(": ")
	}
	b.WriteString("HTTP ")
	b.WriteString(strconv.Itoa(e.Status))
	if e.Code != "" && e.Code != strconv.Itoa(e.Status) { // Keystone repeats the status as its code
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.AuthorizationMessage != "" {
		b.WriteString(" (encoded_authorization_message: ")
		b.WriteString(e.AuthorizationMessage)
		b.WriteString(")")
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteString(")")
	}
	return b.String()
}

// IsCertificateError reports whether err is a TLS certificate the client
// could not verify: reading again will not help, setting insecure may.
func IsCertificateError(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

// IsNotFound reports whether err is, or wraps, an APIError with status 404.
// The status decides, never the body: SFS Turbo's 404 body says only
// "parameter error".
func IsNotFound(err error) bool {
	var apiErr *APIError
	// A credential source that answered 404 (ECS metadata without an
	// agency) says nothing about the resource asked for.
	if errors.As(err, new(*CredentialError)) {
		return false
	}
	return errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound
}

// maxExcerpt bounds every text taken from an error body, so that an HTML
// error page or a huge body cannot flood a Terraform diagnostic.
const maxExcerpt = 200

// newAPIError decodes an error answer in any of the shapes Huawei Cloud
// services use: the API gateway's {"error_code","error_msg","request_id"},
// SFS Turbo's {"errCode","errMsg"}, CCE's {"errorCode","errorMessage"}, the nested {"error":{"code","message"}}
// of ECS and SDRS, ECS's top-level {"code","message"}, and OpenStack's
// {"itemNotFound":{"code":404,"message":...}}. Anything else becomes a
// printable excerpt of the body, or the status text when there is none.
func newAPIError(method, path string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, Status: status}
	var requestID string
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) == nil && top != nil {
		e.Code, e.Message = decodeErrorFields(top)
		requestID = jsonString(top["request_id"])
		// Kept whole (it is opaque and only useful complete), but cleaned.
		e.AuthorizationMessage = strings.Join(strings.Fields(strings.ToValidUTF8(jsonString(top["encoded_authorization_message"]), "")), "")
		if len(e.AuthorizationMessage) > 8192 {
			e.AuthorizationMessage = e.AuthorizationMessage[:8192] + "…"
		}
	}
	if e.Code == "" && e.Message == "" {
		e.Message = excerpt(body)
	}
	e.Code = clean(e.Code)
	e.Message = clean(e.Message)
	if e.Message == "" && e.Code == "" {
		e.Message = http.StatusText(status)
	}
	if requestID == "" && header != nil {
		requestID = header.Get("X-Request-Id")
	}
	e.RequestID = clean(requestID)
	return e
}

// decodeErrorFields picks the first shape that yields a code or a message.
func decodeErrorFields(top map[string]json.RawMessage) (code, message string) {
	shapes := [][2]string{
		{"error_code", "error_msg"},   // API gateway, IAM, ELB
		{"errCode", "errMsg"},         // SFS Turbo
		{"errorCode", "errorMessage"}, // CCE
		{"code", "message"},           // ECS top level
	}
	if nested, ok := top["error"]; ok {
		var inner map[string]json.RawMessage
		if json.Unmarshal(nested, &inner) == nil && inner != nil {
			code, message = jsonString(inner["code"]), jsonString(inner["message"])
			if code != "" || message != "" {
				return code, message
			}
		} else if s := jsonString(nested); s != "" {
			return "", s
		}
	}
	for _, s := range shapes {
		code, message = jsonString(top[s[0]]), jsonString(top[s[1]])
		if code != "" || message != "" {
			return code, message
		}
	}
	// OpenStack-style fault: one key naming the fault, whose object has a
	// message. The key is more useful as a code than the numeric status.
	if len(top) == 1 {
		for k, v := range top {
			var inner map[string]json.RawMessage
			if json.Unmarshal(v, &inner) == nil {
				if m := jsonString(inner["message"]); m != "" {
					return k, m
				}
			}
		}
	}
	return "", ""
}

// jsonString renders a JSON string or number as text, anything else as "".
// Some services send numeric codes.
func jsonString(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// excerpt turns an unknown body into readable text: HTML tags are dropped
// (gateways answer 502 with nginx pages), the rest is cleaned by clean.
func excerpt(body []byte) string {
	if len(body) > 4*maxExcerpt {
		body = body[:4*maxExcerpt]
	}
	s := string(body)
	if strings.HasPrefix(strings.TrimSpace(s), "<") {
		s = stripTags(s)
	}
	return s
}

func stripTags(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
			b.WriteByte(' ')
		case !inTag:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clean makes server text safe to print: invalid UTF-8 becomes U+FFFD,
// control characters and runs of whitespace become one space, and the
// result is cut to maxExcerpt bytes on a rune boundary.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || !unicode.IsPrint(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if len(out) <= maxExcerpt {
		return out
	}
	const ellipsis = "…"
	cut := maxExcerpt - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(out[cut]) {
		cut--
	}
	return strings.TrimSpace(out[:cut]) + ellipsis
}
