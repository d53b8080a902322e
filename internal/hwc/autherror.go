package hwc

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// AuthError is a 401 or 403 answer: the credentials were refused
// (authentication) or lack a permission (authorization). Its message says
// so first, with the gateway's code and what to check; the answer itself
// is API (errors.As finds the *APIError too).
type AuthError struct {
	// API is the answer as decoded.
	API *APIError
	// Service is the endpoint key asked ("ecs", "iam", ...).
	Service string
	// Source names the credential source in use (see CredentialSource).
	Source string
	// Token says an IAM token (X-Auth-Token) was sent rather than a signature.
	Token bool
	// ClockSkew is the gateway's clock minus the local one, when the
	// answer told it (SkewKnown).
	ClockSkew time.Duration
	SkewKnown bool
	// Context says what the request was for, when it was not the caller's
	// own (the project look-up, assume_role); it ends the message.
	Context string
}

// Unwrap returns the API answer.
func (e *AuthError) Unwrap() error { return e.API }

// Forbidden reports a 403: authenticated, but not allowed.
func (e *AuthError) Forbidden() bool { return e.API.Status == http.StatusForbidden }

func (e *AuthError) Error() string {
	var b strings.Builder
	what := e.Service
	if what == "" {
		what = "the API"
	}
	if e.Forbidden() {
		fmt.Fprintf(&b, "permission denied by %s: the credentials (%s) are not allowed to do this: %s", what, e.Source, e.API)
		b.WriteString(". Check the IAM policies of the user or agency behind these credentials")
		if e.API.AuthorizationMessage != "" {
			b.WriteString("; the encoded authorization message above tells which policy denied it")
		}
		e.writeContext(&b)
		return b.String()
	}
	fmt.Fprintf(&b, "authentication failed at %s: the credentials (%s) were refused: %s. ", what, e.Source, e.API)
	switch {
	case e.SkewKnown:
		fmt.Fprintf(&b, "The local clock is off by %s; signatures are refused beyond 15 minutes: correct this machine's clock (NTP)", fmtSkew(e.ClockSkew))
	case e.Token:
		b.WriteString("Check the token (auth_token, HW_AUTH_TOKEN): IAM tokens expire after 24 hours and belong to one region or project; also check this machine's clock")
	default:
		b.WriteString("Check the access key and secret key (and the security token of temporary keys, which expire), and that this machine's clock is right")
	}
	e.writeContext(&b)
	return b.String()
}

func (e *AuthError) writeContext(b *strings.Builder) {
	if e.Context != "" {
		b.WriteString(" (")
		b.WriteString(e.Context)
		b.WriteString(")")
	}
}

// withAuthContext returns a copy of the AuthError that err is or wraps,
// with context added, so that the cause stays first; nil if err holds none.
func withAuthContext(err error, context string) *AuthError {
	var authErr *AuthError
	if !errors.As(err, &authErr) {
		return nil
	}
	c := *authErr
	if c.Context != "" {
		c.Context += "; "
	}
	c.Context += context
	return &c
}

func fmtSkew(d time.Duration) string {
	dir := "behind"
	if d < 0 {
		dir, d = "ahead of", -d
	}
	return d.Round(time.Second).String() + " (" + dir + " Huawei Cloud's clock)"
}

// HostNotFoundError is a host name that does not resolve; it is never retried.
type HostNotFoundError struct {
	// Host is the name that did not resolve.
	Host string
	// Service and Region are the request's.
	Service, Region string
	// Suggestions are known region names near Region, when the default
	// public endpoints were in use.
	Suggestions []string
	// DefaultEndpoint says the host was built from region and cloud rather
	// than configured.
	DefaultEndpoint bool
	// Err is the resolver's error.
	Err error
}

func (e *HostNotFoundError) Unwrap() error { return e.Err }

func (e *HostNotFoundError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "host %s does not resolve (no such host)", e.Host)
	switch {
	case !e.DefaultEndpoint:
		fmt.Fprintf(&b, ": check the %s endpoint (%s) for a typo", e.Service, endpointSetting(e.Service))
	case len(e.Suggestions) > 0:
		fmt.Fprintf(&b, ": region %q is not a known Huawei Cloud region; did you mean %s? (region, HW_REGION_NAME)", e.Region, strings.Join(e.Suggestions, " or "))
	case slices.Contains(knownRegions, e.Region):
		fmt.Fprintf(&b, ": the %s service may not be offered in region %s, or cloud (HW_CLOUD) is wrong", e.Service, e.Region)
	default:
		fmt.Fprintf(&b, ": check region (HW_REGION_NAME) %q and cloud (HW_CLOUD)", e.Region)
	}
	return b.String()
}

// endpointSetting names the settings of a service's endpoint.
func endpointSetting(service string) string {
	switch service {
	case "metadata":
		return "HW_ECS_METADATA_ENDPOINT"
	case IAMService:
		return "auth_url or HW_AUTH_URL, endpoints.iam or HW_IAM_ENDPOINT"
	}
	return "endpoints." + service + " or HW_" + strings.ToUpper(service) + "_ENDPOINT"
}

func (c *Client) hostNotFound(cl call, dnsErr *net.DNSError) error {
	host := cl.u.Hostname()
	e := &HostNotFoundError{Host: host, Service: cl.service, Region: cl.region, DefaultEndpoint: cl.defaultHost, Err: dnsErr}
	if cl.defaultHost && cl.region != "" && !slices.Contains(knownRegions, cl.region) {
		e.Suggestions = nearestRegions(cl.region)
	}
	return e
}

// knownRegions are public Huawei Cloud region names, for suggestions only:
// any region name is accepted.
var knownRegions = []string{
	"af-north-1", "af-south-1",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
	"cn-east-2", "cn-east-3", "cn-east-4", "cn-east-5",
	"cn-north-1", "cn-north-2", "cn-north-4", "cn-north-9", "cn-north-11", "cn-north-12",
	"cn-south-1", "cn-south-2", "cn-south-4", "cn-southwest-2", "cn-southwest-3",
	"eu-west-0", "eu-west-101", "eu-west-201",
	"la-north-2", "la-south-2", "me-east-1", "na-mexico-1", "ru-northwest-2", "sa-brazil-1", "tr-west-1",
}

// nearestRegions returns up to three known regions at the smallest edit
// distance from region, if that distance is at most 3.
func nearestRegions(region string) []string {
	best := 4
	var out []string
	for _, r := range knownRegions {
		d := editDistance(region, r)
		switch {
		case d < best:
			best, out = d, []string{r}
		case d == best && len(out) < 3:
			out = append(out, r)
		}
	}
	return out
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Summary suggests the headline of a diagnostic for err when its cause is
// one the user fixes in the configuration or the account rather than in
// the request: "Authentication failed", "Permission denied", "Host not
// found", "Clock skew", "Missing credentials" or "Cannot get credentials"
// (ECS metadata or assume_role failed otherwise). ok is false for any
// other error, whose caller keeps its own headline.
func Summary(err error) (summary string, ok bool) {
	var authErr *AuthError
	var hostErr *HostNotFoundError
	switch {
	case errors.Is(err, ErrNoCredentials):
		return "Missing credentials", true
	case errors.As(err, &authErr) && authErr.Forbidden():
		return "Permission denied", true
	case errors.As(err, &authErr) && authErr.SkewKnown:
		return "Clock skew", true
	case errors.As(err, &authErr):
		return "Authentication failed", true
	case errors.As(err, &hostErr):
		return "Host not found", true
	case errors.As(err, new(*CredentialError)):
		return "Cannot get credentials", true
	}
	return "", false
}
