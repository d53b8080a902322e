package emulator

// What a real account meets beyond the job APIs: temporary credentials
// (IAM assume_role and the ECS metadata securitykey route) that the
// verifier accepts only with their security token and only until they
// expire, agencies that IAM may refuse, a gateway clock that may be skewed
// against the client's, and IAM policy denials (403 with an
// encoded_authorization_message).

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Sub-project of DefaultRegion known to the emulator's IAM look-up; its
// jobs are served like those of any other project.
const (
	DevProjectName = DefaultRegion + "_dev"
	DevProjectID   = "3c3c3c3c3c3c4c3c8c3c3c3c3c3c3c3c"
)

// The agency the emulator lets every caller assume unless SetAgencies
// names others.
const (
	DemoAgencyDomain = "hwcjobs-demo-domain"
	DemoAgencyName   = "hwcjobs-demo-agency"
)

// MetadataPrefix is the path under which the emulator serves the ECS
// instance metadata API: point the client's metadata base URL at
// {emulator}/metadata.
const MetadataPrefix = "/metadata"

// Lifetimes of issued temporary credentials, unless SetCredentialLifetime
// overrides them.
const (
	// DefaultMetadataLifetime is the lifetime of a metadata securitykey.
	DefaultMetadataLifetime = time.Hour
	minAssumeRoleDuration   = 900
	maxAssumeRoleDuration   = 43200
)

// MetadataMode says how the metadata securitykey route answers.
type MetadataMode string

// The metadata modes.
const (
	// MetadataOK issues temporary credentials (the default).
	MetadataOK MetadataMode = "ok"
	// MetadataNotFound answers 404, as an instance without an agency does.
	MetadataNotFound MetadataMode = "not_found"
	// MetadataGarbage answers 200 with a body that is not JSON.
	MetadataGarbage MetadataMode = "garbage"
)

// Agency is an agency that assume_role may trade credentials for.
type Agency struct {
	DomainName string `json:"domain_name"`
	AgencyName string `json:"agency_name"`
}

// DenyRule makes the gateway refuse matching requests with 403, as an IAM
// policy denial does.
type DenyRule struct {
	// PathPrefix matches the decoded request path (service prefix
	// included, e.g. /ecs/); empty matches every API path.
	PathPrefix string `json:"path_prefix,omitempty"`
	// AccessKey limits the rule to one access key; empty matches any.
	AccessKey string `json:"access_key,omitempty"`
	// Message is sent as encoded_authorization_message; empty means a
	// fixed placeholder.
	Message string `json:"message,omitempty"`
}

// CredentialStats count what the emulator did with temporary credentials.
type CredentialStats struct {
	AssumeRoleIssued  int `json:"assume_role_issued"`
	AssumeRoleRefused int `json:"assume_role_refused"`
	MetadataIssued    int `json:"metadata_issued"`
	// ExpiredRejections counts requests refused because their temporary
	// key had expired.
	ExpiredRejections int `json:"expired_rejections"`
	// SkewRejections counts requests refused for an X-Sdk-Date too far
	// from the gateway clock.
	SkewRejections int `json:"skew_rejections"`
	// Denied counts requests refused by a DenyRule.
	Denied int `json:"denied"`
}

type tempKey struct {
	cred    Credential
	expires time.Time
}

// tempKeys is the verifier's state for real-account behaviour; its zero
// value is ready (no temporary keys, no skew, the demo agency allowed).
type tempKeys struct {
	mu       sync.Mutex
	keys     map[string]tempKey
	skew     time.Duration
	lifetime time.Duration // 0: as requested (assume_role) or DefaultMetadataLifetime; < 0: already expired
	agencies []Agency      // nil: only the demo agency
	metadata MetadataMode
	deny     []DenyRule
	stats    CredentialStats
}

// clock is the gateway's time: the verifier clock moved by the skew.
func (v *verifier) clock() time.Time {
	v.temp.mu.Lock()
	skew := v.temp.skew
	v.temp.mu.Unlock()
	return v.now().Add(skew)
}

func (t *tempKeys) lookup(access string, now time.Time) (Credential, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k, ok := t.keys[access]
	if !ok {
		return Credential{}, authErr("unknown access key %q", access)
	}
	if !now.Before(k.expires) {
		t.stats.ExpiredRejections++
		return Credential{}, &expiredError{access: access, expired: k.expires}
	}
	return k.cred, nil
}

// issue makes a fresh temporary key valid for lifetime from now (unless a
// lifetime override is set).
func (t *tempKeys) issue(now time.Time, lifetime time.Duration) (access string, cred Credential, expires time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.lifetime != 0 {
		lifetime = t.lifetime
	}
	access = "TMP" + strings.ToUpper(randomHex(10))
	cred = Credential{SecretKey: randomHex(20), SecurityToken: "tmp-" + randomHex(48)}
	expires = now.Add(lifetime)
	if t.keys == nil {
		t.keys = map[string]tempKey{}
	}
	t.keys[access] = tempKey{cred: cred, expires: expires}
	return access, cred, expires
}

// skewError is a signature whose X-Sdk-Date is too far from the gateway clock.
type skewError struct {
	signedAt, serverTime time.Time
}

func (e *skewError) Error() string {
	return fmt.Sprintf("%v: X-Sdk-Date %s is %s from the server clock", errAuth,
		e.signedAt.Format(sdkDateLayout), e.serverTime.Sub(e.signedAt).Round(time.Second))
}

func (e *skewError) Unwrap() error { return errAuth }

// expiredError is a temporary key used after its expiry.
type expiredError struct {
	access  string
	expired time.Time
}

func (e *expiredError) Error() string {
	return fmt.Sprintf("%v: temporary access key %q expired at %s", errAuth, e.access, e.expired.UTC().Format(time.RFC3339))
}

func (e *expiredError) Unwrap() error { return errAuth }

// authFailure is the gateway's 401 for a request the verifier refused: the
// usual body, or for a skewed X-Sdk-Date the "signature expired" one with
// the gateway's time in Date, as Huawei Cloud's gateway answers.
func (s *Server) authFailure(err error, requestID string) answer {
	header := map[string]string{"X-Emulator-Auth-Error": err.Error()} // not sent by Huawei Cloud; helps debugging
	msg := authFailMsg
	var skew *skewError
	var expired *expiredError
	switch {
	case errors.As(err, &skew):
		s.verifier.temp.mu.Lock()
		s.verifier.temp.stats.SkewRejections++
		s.verifier.temp.mu.Unlock()
		msg = fmt.Sprintf("Incorrect IAM authentication information: signature expired, signature time:%s,server time:%s",
			skew.signedAt.UTC().Format(sdkDateLayout), skew.serverTime.UTC().Format(sdkDateLayout))
		header["Date"] = skew.serverTime.UTC().Format(http.TimeFormat)
	case errors.As(err, &expired):
		msg = "Incorrect IAM authentication information: the security token has expired"
	}
	return answer{status: http.StatusUnauthorized, body: gatewayError("APIGW.0301", msg, requestID), header: header}
}

// accountAnswer answers, after a request was verified, the IAM
// securitytokens route and the requests a DenyRule refuses; ok false lets
// the request go on to faults and the job APIs.
func (s *Server) accountAnswer(r *http.Request, body []byte, requestID string) (answer, bool) {
	if a, denied := s.denied(r, requestID); denied {
		return a, true
	}
	if r.URL.Path != "/iam/v3.0/OS-CREDENTIAL/securitytokens" {
		return answer{}, false
	}
	if r.Method != http.MethodPost {
		return answer{status: http.StatusMethodNotAllowed, body: iamError(http.StatusMethodNotAllowed, "Method Not Allowed", "The method is not allowed for the requested URL.")}, true
	}
	return s.assumeRole(body), true
}

func iamError(status int, title, message string) []byte {
	return mustJSON(map[string]any{"error": map[string]any{"code": status, "title": title, "message": message}})
}

// assumeRole answers POST /v3.0/OS-CREDENTIAL/securitytokens with the
// assume_role method.
func (s *Server) assumeRole(body []byte) answer {
	var req struct {
		Auth struct {
			Identity struct {
				Methods    []string `json:"methods"`
				AssumeRole *struct {
					AgencyName      string `json:"agency_name"`
					DomainName      string `json:"domain_name"`
					DomainID        string `json:"domain_id"`
					DurationSeconds *int   `json:"duration_seconds"`
				} `json:"assume_role"`
			} `json:"identity"`
		} `json:"auth"`
	}
	badRequest := func(msg string) answer {
		return answer{status: http.StatusBadRequest, body: iamError(http.StatusBadRequest, "Bad Request", msg)}
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return badRequest("The request body is not valid JSON.")
	}
	id := req.Auth.Identity
	ar := id.AssumeRole
	if len(id.Methods) != 1 || id.Methods[0] != "assume_role" || ar == nil {
		return badRequest(`auth.identity.methods must be ["assume_role"] with auth.identity.assume_role set.`)
	}
	if ar.AgencyName == "" || (ar.DomainName == "" && ar.DomainID == "") {
		return badRequest("assume_role needs agency_name and domain_name (or domain_id).")
	}
	duration := minAssumeRoleDuration
	if ar.DurationSeconds != nil {
		duration = *ar.DurationSeconds
	}
	if duration < minAssumeRoleDuration || duration > maxAssumeRoleDuration {
		return badRequest(fmt.Sprintf("duration_seconds must be between %d and %d.", minAssumeRoleDuration, maxAssumeRoleDuration))
	}
	t := &s.verifier.temp
	t.mu.Lock()
	allowed := t.agencies
	if allowed == nil {
		allowed = []Agency{{DomainName: DemoAgencyDomain, AgencyName: DemoAgencyName}}
	}
	ok := false
	for _, a := range allowed {
		if a.AgencyName == ar.AgencyName && (a.DomainName == ar.DomainName || a.DomainName == ar.DomainID) {
			ok = true
		}
	}
	if !ok {
		t.stats.AssumeRoleRefused++
	} else {
		t.stats.AssumeRoleIssued++
	}
	t.mu.Unlock()
	if !ok {
		return answer{status: http.StatusForbidden, body: iamError(http.StatusForbidden, "Forbidden",
			fmt.Sprintf("You are not authorized to assume agency %s of domain %s.", ar.AgencyName, ar.DomainName+ar.DomainID))}
	}
	return answer{status: http.StatusCreated, body: s.issueCredential(time.Duration(duration) * time.Second)}
}

// issueCredential makes a temporary key and renders the
// {"credential": {...}} answer of IAM and the metadata API.
func (s *Server) issueCredential(lifetime time.Duration) []byte {
	access, cred, expires := s.verifier.temp.issue(s.verifier.clock(), lifetime)
	return mustJSON(map[string]any{"credential": map[string]string{
		"access":        access,
		"secret":        cred.SecretKey,
		"securitytoken": cred.SecurityToken,
		"expires_at":    expires.UTC().Format("2006-01-02T15:04:05.000000Z"),
	}})
}

// serveMetadata answers the ECS metadata API under MetadataPrefix, which
// needs no authentication; it reports whether the path was its own.
func (s *Server) serveMetadata(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != MetadataPrefix && !strings.HasPrefix(r.URL.Path, MetadataPrefix+"/") {
		return false
	}
	t := &s.verifier.temp
	t.mu.Lock()
	mode := t.metadata
	t.mu.Unlock()
	switch {
	case r.URL.Path != MetadataPrefix+"/openstack/latest/securitykey" || r.Method != http.MethodGet:
		s.reply(w, r, answer{status: http.StatusNotFound, body: []byte("404 Not Found")})
	case mode == MetadataNotFound:
		s.reply(w, r, answer{status: http.StatusNotFound, body: []byte(`{"error":"no agency is attached to this instance"}`)})
	case mode == MetadataGarbage:
		s.reply(w, r, answer{status: http.StatusOK, body: []byte("<html><body>metadata service unavailable</body></html>")})
	default:
		t.mu.Lock()
		t.stats.MetadataIssued++
		t.mu.Unlock()
		s.reply(w, r, answer{status: http.StatusOK, body: s.issueCredential(DefaultMetadataLifetime)})
	}
	return true
}

// denied applies the first DenyRule that matches r.
func (s *Server) denied(r *http.Request, requestID string) (answer, bool) {
	t := &s.verifier.temp
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.deny) == 0 {
		return answer{}, false
	}
	access := ""
	if auth := r.Header.Get("Authorization"); auth != "" {
		access, _, _, _ = parseAuthorization(auth)
	}
	for _, d := range t.deny {
		if !strings.HasPrefix(r.URL.Path, d.PathPrefix) || (d.AccessKey != "" && d.AccessKey != access) {
			continue
		}
		t.stats.Denied++
		msg := d.Message
		if msg == "" {
			msg = "hwcjobs-emulator-denial:" + r.Method + ":" + r.URL.Path
		}
		return answer{status: http.StatusForbidden, body: mustJSON(map[string]string{
			"error_msg":                     "The IAM user is not authorized to perform this operation: an explicit deny in a policy.",
			"error_code":                    "APIGW.0302",
			"request_id":                    requestID,
			"encoded_authorization_message": msg,
		})}, true
	}
	return answer{}, false
}

// SetClockSkew moves the gateway clock (the one X-Sdk-Date and the expiry
// of temporary keys are judged by) by d from the verifier clock.
func (s *Server) SetClockSkew(d time.Duration) {
	s.verifier.temp.mu.Lock()
	s.verifier.temp.skew = d
	s.verifier.temp.mu.Unlock()
}

// SetCredentialLifetime makes every temporary key issued from now on live
// d, below IAM's 900-second floor if asked (tests); a negative d issues
// keys that have already expired (to test the rejection path); 0 restores
// the requested or default lifetimes.
func (s *Server) SetCredentialLifetime(d time.Duration) {
	s.verifier.temp.mu.Lock()
	s.verifier.temp.lifetime = d
	s.verifier.temp.mu.Unlock()
}

// SetAgencies replaces the agencies assume_role accepts; nil restores the
// demo agency alone, an empty list refuses every one.
func (s *Server) SetAgencies(agencies []Agency) {
	s.verifier.temp.mu.Lock()
	s.verifier.temp.agencies = agencies
	s.verifier.temp.mu.Unlock()
}

// SetMetadataMode says how the metadata securitykey route answers.
func (s *Server) SetMetadataMode(m MetadataMode) error {
	switch m {
	case "", MetadataOK, MetadataNotFound, MetadataGarbage:
	default:
		return errors.New("unknown metadata mode: want ok, not_found or garbage")
	}
	s.verifier.temp.mu.Lock()
	s.verifier.temp.metadata = m
	s.verifier.temp.mu.Unlock()
	return nil
}

// Deny adds a rule refusing matching requests with 403.
func (s *Server) Deny(rule DenyRule) {
	s.verifier.temp.mu.Lock()
	s.verifier.temp.deny = append(s.verifier.temp.deny, rule)
	s.verifier.temp.mu.Unlock()
}

// ClearDenials removes every DenyRule.
func (s *Server) ClearDenials() {
	s.verifier.temp.mu.Lock()
	s.verifier.temp.deny = nil
	s.verifier.temp.mu.Unlock()
}

// CredentialStats returns the temporary-credential counters.
func (s *Server) CredentialStats() CredentialStats {
	s.verifier.temp.mu.Lock()
	defer s.verifier.temp.mu.Unlock()
	return s.verifier.temp.stats
}

// adminBodyError describes a refused admin body without echoing it (the
// answer must not reflect request data).
func adminBodyError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Errorf("the body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Errorf("the body's %s must be a %s", typ.Field, typ.Type)
	}
	return errors.New("the body is not what this route takes")
}

// accountAdmin serves the admin routes of this file; ok false means the
// route is not one of them.
//
//	GET    /_emulator/credentials  CredentialStats
//	POST   /_emulator/credentials  {"lifetime":"30s"} ("0s" = as requested) → 204
//	POST   /_emulator/skew         {"offset":"1h"} (gateway clock ahead; negative behind) → 204
//	POST   /_emulator/agencies     [Agency] (replaces; null = demo agency only) → 204
//	POST   /_emulator/metadata     {"mode":"ok"|"not_found"|"garbage"} → 204
//	POST   /_emulator/deny         DenyRule (adds) → 204
//	DELETE /_emulator/deny
func (s *Server) accountAdmin(route string, body []byte) (status int, out any, ok bool, err error) {
	switch route {
	case "GET credentials":
		return http.StatusOK, s.CredentialStats(), true, nil
	case "POST credentials", "POST skew":
		var req struct {
			Lifetime json.RawMessage `json:"lifetime"`
			Offset   json.RawMessage `json:"offset"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return http.StatusBadRequest, nil, true, adminBodyError(err)
		}
		raw := req.Lifetime
		if route == "POST skew" {
			raw = req.Offset
		}
		d, err := parseDurationJSON(raw)
		if err != nil {
			return http.StatusBadRequest, nil, true, errors.New(`want a duration such as "30s" or a number of seconds`)
		}
		if route == "POST skew" {
			s.SetClockSkew(d)
			return http.StatusNoContent, nil, true, nil
		}
		if d < 0 {
			return http.StatusBadRequest, nil, true, errors.New("lifetime must not be negative")
		}
		s.SetCredentialLifetime(d)
		return http.StatusNoContent, nil, true, nil
	case "POST agencies":
		var agencies []Agency
		if err := json.Unmarshal(body, &agencies); err != nil {
			return http.StatusBadRequest, nil, true, adminBodyError(err)
		}
		s.SetAgencies(agencies)
		return http.StatusNoContent, nil, true, nil
	case "POST metadata":
		var req struct {
			Mode MetadataMode `json:"mode"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return http.StatusBadRequest, nil, true, adminBodyError(err)
		}
		if err := s.SetMetadataMode(req.Mode); err != nil {
			return http.StatusBadRequest, nil, true, adminBodyError(err)
		}
		return http.StatusNoContent, nil, true, nil
	case "POST deny":
		var rule DenyRule
		if err := json.Unmarshal(body, &rule); err != nil {
			return http.StatusBadRequest, nil, true, adminBodyError(err)
		}
		s.Deny(rule)
		return http.StatusNoContent, nil, true, nil
	case "DELETE deny":
		s.ClearDenials()
		return http.StatusNoContent, nil, true, nil
	}
	return 0, nil, false, nil
}
