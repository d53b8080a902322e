// Package hwc talks HTTP to Huawei Cloud: endpoints, the credential
// sources (token, AK/SK, KooCLI profile, ECS metadata, assume_role) with
// shared, refreshed temporary keys, AK/SK signing corrected for clock
// skew, retries with backoff, one rate limiter per client, error decoding
// and the IAM project-id look-up. It owns every configuration rule and
// default (checks.go), so that the provider's plan-time checks and New
// agree. It knows nothing of Terraform beyond logging through tflog, so it
// can be tested, and reused, on its own.
package hwc

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/time/rate"
)

// Defaults applied by New when the Config leaves a field at its zero value.
const (
	// DefaultCloud is the domain suffix of the public Huawei Cloud endpoints.
	DefaultCloud = "myhuaweicloud.com"
	// DefaultRequestTimeout bounds one attempt, headers and body together.
	DefaultRequestTimeout = 30 * time.Second
	// DefaultUserAgent is sent, and signed, when Config.UserAgent is empty, so
	// the signed header set does not depend on Go's transport defaults.
	DefaultUserAgent = "terraform-provider-hwcjobs"
)

// Retry tuning. Full jitter (a uniform delay in [0, min(cap, base*2^n)])
// spreads the retries of many parallel data sources instead of having them
// hit a throttled gateway in lock step.
const (
	backoffBase   = 500 * time.Millisecond
	backoffCap    = 15 * time.Second
	retryAfterCap = 60 * time.Second
	maxBodyBytes  = 16 << 20 // job answers are small; this only guards memory
)

// Config is everything a Client needs, as plain values: the provider
// resolves HCL attributes and environment variables into it (attribute and
// variable names are given with each field); New applies the defaults and
// the rules of checks.go, and reads the shared config file when asked.
//
// Credentials come from the first usable source: AuthToken; AccessKey and
// SecretKey (+SecurityToken); the shared config profile (SharedConfigFile,
// Profile); the ECS instance metadata (UseECSMetadata). AssumeRole (or a
// profile's agency) trades any of them but a token for an agency's keys.
type Config struct {
	// Region (region, HW_REGION_NAME) is the default region of requests
	// that name none; a shared profile's region fills it when empty.
	Region string
	// ProjectID (project_id, HW_PROJECT_ID) is the project of Region; when
	// empty, the profile's projectId, else an IAM look-up by ProjectName.
	ProjectID string
	// ProjectName (project_name, HW_PROJECT_NAME) is the IAM project looked
	// up for Region; "" means the region's name. Sub-projects are named
	// like cn-north-4_dev.
	ProjectName string
	// AccessKey and SecretKey (access_key/secret_key, HW_ACCESS_KEY/
	// HW_SECRET_KEY) sign every request (SDK-HMAC-SHA256).
	AccessKey, SecretKey string
	// SecurityToken (security_token, HW_SECURITY_TOKEN) goes with a
	// temporary AK/SK, sent as X-Security-Token.
	SecurityToken string
	// AuthToken (auth_token, HW_AUTH_TOKEN) is an IAM token sent as
	// X-Auth-Token instead of signing. It is never refreshed.
	AuthToken string
	// SharedConfigFile and Profile (shared_config_file/profile,
	// HW_SHARED_CONFIG_FILE/HW_PROFILE): when either is set, New reads the
	// KooCLI profile (LoadSharedProfile; file default
	// DefaultSharedConfigFile, profile default the file's current one).
	SharedConfigFile, Profile string
	// UseECSMetadata (use_ecs_metadata, HW_USE_ECS_METADATA) opts in to the
	// ECS instance metadata source.
	UseECSMetadata bool
	// MetadataEndpoint (HW_ECS_METADATA_ENDPOINT) is the metadata base URL;
	// "" means DefaultMetadataEndpoint.
	MetadataEndpoint string
	// AssumeRole (assume_role; HW_ASSUME_ROLE_AGENCY_NAME,
	// HW_ASSUME_ROLE_DOMAIN_NAME, HW_ASSUME_ROLE_DURATION) trades the base
	// credentials for the agency's; nil means none (or the profile's agency).
	AssumeRole *AssumeRole
	// Cloud (cloud, HW_CLOUD) is the endpoint domain suffix; "" means
	// DefaultCloudFor(region).
	Cloud string
	// AuthURL (auth_url, HW_AUTH_URL) is the IAM endpoint in the official
	// provider's form, /v3 included; it may not be set with Endpoints["iam"].
	AuthURL string
	// Endpoints (endpoints, HW_<SERVICE>_ENDPOINT) overrides the base URL
	// (scheme://host[:port][/prefix], no scheme meaning https://) of a
	// service key ("ecs", "sfs_turbo" or "sfs-turbo", "iam", ...); the API
	// path is appended to it, prefix kept.
	Endpoints map[string]string
	// Services lists the valid endpoint keys besides "iam"; nil accepts
	// any well-formed key.
	Services []string
	// CACertFile (cacert_file, HW_CACERT_FILE or OS_CACERT) is a PEM bundle
	// trusted besides the system's roots.
	CACertFile string
	// CertFile and KeyFile (cert/key, OS_CERT/OS_KEY) are a client
	// certificate and its key, each a file path or PEM text.
	CertFile, KeyFile string
	// Insecure (insecure, HW_INSECURE) skips TLS certificate verification.
	Insecure bool
	// MaxRetries (max_retries, HW_MAX_RETRIES) is how many times one
	// request is retried; 0 disables retries.
	MaxRetries int
	// RequestTimeout bounds one attempt including reading the body; 0 means
	// DefaultRequestTimeout.
	RequestTimeout time.Duration
	// RequestsPerSecond limits every attempt of this client, retries
	// included; 0 means unlimited.
	RequestsPerSecond float64
	// UserAgent is sent on every request; "" means DefaultUserAgent.
	UserAgent string
	// Transport replaces the HTTP transport, for tests (TLS, proxy and
	// DialContext settings are then ignored).
	Transport http.RoundTripper
	// DialContext replaces the transport's dialer, for tests (e.g. a host
	// that does not resolve, without a DNS query).
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now is the local clock; nil means time.Now. Signing and judging the
	// expiry of temporary keys use it corrected by the gateway's clock skew.
	Now func() time.Time
}

// Client sends requests to Huawei Cloud APIs. It is safe for concurrent use;
// one Client, hence one rate limiter and one project-id cache, belongs to
// one provider instance.
type Client struct {
	cfg          Config
	endpoints    map[string]string
	http         *http.Client
	limiter      *rate.Limiter
	projects     projectCache
	creds        credentialSource
	metadataBase string
	profile      *SharedProfile
	// skew is the gateway's clock minus the local one, in nanoseconds,
	// learned from a "signature expired" answer.
	skew atomic.Int64

	// Injectable so tests run fast and deterministic: now signs, clock feeds
	// the limiter, sleep waits (backoff and limiter), jitter draws the
	// random part of a backoff in [0, max].
	now    func() time.Time
	clock  func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(upTo time.Duration) time.Duration
}

// Request names one API call: which service, where, and the path template
// with its parameters. The client builds the URL, so callers never
// concatenate user input into a path.
type Request struct {
	// Service is the endpoint key: a service name such as "ecs" or
	// "sfs_turbo", or "iam".
	Service string
	// Host is the service's label in its default endpoint host,
	// https://{Host}.{region}.{cloud}; "" means Service.
	Host string
	// Region overrides Config.Region for this call when not empty.
	Region string
	// Path is a template such as "/v1/{project_id}/jobs/{job_id}". A
	// {project_id} missing from Params is filled with ProjectID(Region).
	Path string
	// Params holds the template values; each is checked by
	// ValidatePathParam and then path-escaped.
	Params map[string]string
	// Query is sent with keys sorted, as the SDK does.
	Query url.Values
}

// Response is a 2xx answer, body fully read.
type Response struct {
	// Status is the HTTP status code.
	Status int
	// Header holds the response headers.
	Header http.Header
	// Body is the complete response body.
	Body []byte
	// RequestID is the X-Request-Id response header, for support cases.
	RequestID string
	// Path is the escaped path sent, endpoint prefix included.
	Path string
}

// New checks cfg with the rules of checks.go, reads the shared config
// profile when asked, picks the credential source and builds a Client with
// its own HTTP transport and rate limiter. Every error names the setting
// and its environment variable, and never holds a secret.
func New(cfg Config) (*Client, error) {
	var profile *SharedProfile
	if cfg.SharedConfigFile != "" || cfg.Profile != "" {
		p, err := LoadSharedProfile(cfg.SharedConfigFile, cfg.Profile)
		if err != nil {
			return nil, fmt.Errorf("hwc: %w", err)
		}
		profile = p
		if cfg.Region == "" {
			cfg.Region = p.Region
		}
		if cfg.ProjectID == "" && p.ProjectID != "" && (p.Region == "" || p.Region == cfg.Region) {
			cfg.ProjectID = p.ProjectID
		}
		usesProfileKeys := cfg.AuthToken == "" && cfg.AccessKey == "" && cfg.SecretKey == ""
		if usesProfileKeys && cfg.AssumeRole == nil && p.AgencyName != "" {
			cfg.AssumeRole = &AssumeRole{AgencyName: p.AgencyName, DomainName: p.AgencyDomainName}
		}
	}
	if cfg.Region != "" {
		if err := CheckRegion(cfg.Region); err != nil {
			return nil, fmt.Errorf("hwc: region (HW_REGION_NAME): %w", err)
		}
	}
	if cfg.ProjectID != "" {
		if err := CheckProjectID(cfg.ProjectID); err != nil {
			return nil, fmt.Errorf("hwc: project_id (HW_PROJECT_ID): %w", err)
		}
	}
	if cfg.ProjectName != "" {
		if err := CheckProjectName(cfg.ProjectName); err != nil {
			return nil, fmt.Errorf("hwc: project_name (HW_PROJECT_NAME): %w", err)
		}
	}
	if cfg.Cloud != "" {
		if err := CheckCloud(cfg.Cloud); err != nil {
			return nil, fmt.Errorf("hwc: cloud (HW_CLOUD): %w", err)
		}
	}
	if cfg.AssumeRole != nil {
		copied := *cfg.AssumeRole // never write to the caller's value
		ar := &copied
		cfg.AssumeRole = ar
		if ar.Duration == 0 {
			ar.Duration = DefaultAssumeRoleDuration
		}
		switch {
		case ar.AgencyName == "":
			return nil, errors.New("hwc: assume_role needs agency_name (HW_ASSUME_ROLE_AGENCY_NAME)")
		case ar.DomainName == "":
			return nil, errors.New("hwc: assume_role needs domain_name (HW_ASSUME_ROLE_DOMAIN_NAME)")
		}
		if err := CheckAgencyName(ar.AgencyName); err != nil {
			return nil, fmt.Errorf("hwc: assume_role agency_name (HW_ASSUME_ROLE_AGENCY_NAME): %w", err)
		}
		if err := CheckAgencyName(ar.DomainName); err != nil {
			return nil, fmt.Errorf("hwc: assume_role domain_name (HW_ASSUME_ROLE_DOMAIN_NAME): %w", err)
		}
		if err := CheckAssumeRoleDuration(ar.Duration); err != nil {
			return nil, fmt.Errorf("hwc: assume_role duration (HW_ASSUME_ROLE_DURATION): %w", err)
		}
	}
	if err := CheckMaxRetries(int64(cfg.MaxRetries)); err != nil {
		return nil, fmt.Errorf("hwc: max_retries (HW_MAX_RETRIES): %w", err)
	}
	if cfg.RequestTimeout < 0 {
		return nil, fmt.Errorf("hwc: request_timeout must not be negative, got %s", cfg.RequestTimeout)
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if err := CheckRequestsPerSecond(cfg.RequestsPerSecond); err != nil {
		return nil, fmt.Errorf("hwc: requests_per_second: %w", err)
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	endpoints := make(map[string]string, len(cfg.Endpoints)+1)
	for key, raw := range cfg.Endpoints {
		if err := CheckEndpointKey(key, cfg.Services); err != nil {
			return nil, fmt.Errorf("hwc: endpoints: %w", err)
		}
		k := CanonicalEndpointKey(key)
		env := "HW_" + strings.ToUpper(k) + "_ENDPOINT"
		base, err := NormalizeEndpoint(raw)
		if err != nil {
			return nil, fmt.Errorf("hwc: endpoints.%s (%s): %w", key, env, err)
		}
		if k == IAMService {
			// The IAM base never ends in /v3: the paths add it.
			base = strings.TrimSuffix(base, "/v3")
		}
		if _, dup := endpoints[k]; dup {
			return nil, fmt.Errorf("hwc: endpoints: %s is set twice (as sfs_turbo and sfs-turbo?)", k)
		}
		endpoints[k] = base
	}
	if cfg.AuthURL != "" {
		if _, ok := endpoints[IAMService]; ok {
			return nil, errors.New("hwc: both auth_url (HW_AUTH_URL) and endpoints.iam (HW_IAM_ENDPOINT) are set: they name the same IAM endpoint, set only one")
		}
		base, err := iamBaseFromAuthURL(cfg.AuthURL)
		if err != nil {
			return nil, fmt.Errorf("hwc: auth_url (HW_AUTH_URL): %w", err)
		}
		endpoints[IAMService] = base
	}
	cfg.Endpoints = nil // the normalized copy is authoritative

	c := &Client{
		cfg:          cfg,
		endpoints:    endpoints,
		now:          time.Now,
		clock:        time.Now,
		sleep:        sleepContext,
		jitter:       fullJitter,
		profile:      profile,
		metadataBase: DefaultMetadataEndpoint,
	}
	if cfg.Now != nil {
		c.now = cfg.Now
	}
	if cfg.UseECSMetadata && cfg.MetadataEndpoint != "" {
		base, err := NormalizeEndpoint(cfg.MetadataEndpoint)
		if err != nil {
			return nil, fmt.Errorf("hwc: HW_ECS_METADATA_ENDPOINT: %w", err)
		}
		c.metadataBase = base
	}
	if err := c.buildCredentials(&cfg, profile); err != nil {
		return nil, fmt.Errorf("hwc: %w", err)
	}
	if cfg.RequestsPerSecond > 0 {
		// Burst 1: the limit is a spacing, so a plan with hundreds of data
		// sources cannot open with a burst the gateway would throttle.
		c.limiter = rate.NewLimiter(rate.Limit(cfg.RequestsPerSecond), 1)
	}
	transport := cfg.Transport
	if transport == nil {
		t, err := newTransport(cfg)
		if err != nil {
			return nil, err
		}
		transport = t
	}
	c.http = &http.Client{
		Transport: transport,
		// A redirect would forward X-Auth-Token / X-Security-Token to
		// wherever it points, and a signature never covers the new URL;
		// Huawei Cloud APIs do not redirect, so a 3xx is reported as is.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return c, nil
}

// serverNow is the local clock corrected by the gateway's skew: the time
// requests are signed with and temporary keys are judged by.
func (c *Client) serverNow() time.Time {
	return c.now().Add(time.Duration(c.skew.Load()))
}

// ClockSkew is the gateway's clock minus the local one, as learned from a
// "signature expired" answer (0 until then).
func (c *Client) ClockSkew() time.Duration { return time.Duration(c.skew.Load()) }

// Profile returns the shared config profile New read, or nil.
func (c *Client) Profile() *SharedProfile { return c.profile }

// Region is the default region of requests: the configured one, else the
// shared config profile's.
func (c *Client) Region() string { return c.cfg.Region }

func (c *Client) overridden(service string) bool {
	_, ok := c.endpoints[service]
	return ok
}

// Endpoint returns the base URL of a service key in a region: the
// configured override if any (path prefix kept, no trailing slash), else
// https://{host}.{region}.{cloud} with the service's host label (host ""
// means the key itself), cloud defaulting by region (DefaultCloudFor).
// region "" means Config.Region.
func (c *Client) Endpoint(service, host, region string) (string, error) {
	service = CanonicalEndpointKey(service)
	if !serviceKeyPattern.MatchString(service) {
		return "", fmt.Errorf("hwc: invalid service key %q", service)
	}
	if base, ok := c.endpoints[service]; ok {
		return base, nil
	}
	if region == "" {
		region = c.cfg.Region
	}
	if region == "" {
		return "", fmt.Errorf("hwc: no region for the %s endpoint: set region (or HW_REGION_NAME)", service)
	}
	if err := CheckRegion(region); err != nil {
		return "", fmt.Errorf("hwc: invalid region: %w", err)
	}
	cloud := c.cfg.Cloud
	if cloud == "" {
		cloud = DefaultCloudFor(region)
	}
	if host == "" {
		host = service
	}
	return "https://" + host + "." + region + "." + cloud, nil
}

// maxPathParam bounds an id in a path: real ids are 32 to 64 characters.
const maxPathParam = 256

// ValidatePathParam rejects a value that could change the request path
// rather than name a resource: empty or blank, '/', '\', '?', '#', '%',
// "..", a lone ".", whitespace, control characters, invalid UTF-8, more
// than 256 bytes. It
// deliberately does not check formats (ids such as SFS Turbo's contain
// placeholders like "xxxx"). The error names the parameter and the reason.
func ValidatePathParam(name, value string) error {
	shown := value
	if len(shown) > 64 {
		shown = shown[:64] + "..."
	}
	fail := func(why string) error {
		return fmt.Errorf("invalid %s %q: %s", name, shown, why)
	}
	if len(value) > maxPathParam {
		return fail(fmt.Sprintf("must be at most %d bytes long, got %d", maxPathParam, len(value)))
	}
	if strings.TrimSpace(value) == "" {
		return fail("must not be empty or blank")
	}
	if !utf8.ValidString(value) {
		return fail("must be valid UTF-8")
	}
	for _, bad := range []string{"/", `\`, "?", "#", "%"} {
		if strings.Contains(value, bad) {
			return fail(fmt.Sprintf("must not contain %q, which would change the request path", bad))
		}
	}
	if strings.Contains(value, "..") || value == "." {
		return fail("must not contain \"..\" or be \".\", which would change the request path")
	}
	for _, r := range value {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fail("must not contain whitespace or control characters")
		}
	}
	return nil
}

// Get sends a GET with retries and returns the 2xx answer. Any other status
// is an *APIError (see IsNotFound); transport failures are wrapped with the
// method and URL; a done ctx ends everything at once with its error.
func (c *Client) Get(ctx context.Context, req Request) (*Response, error) {
	region := req.Region
	if region == "" {
		region = c.cfg.Region
	}
	base, err := c.Endpoint(req.Service, req.Host, region)
	if err != nil {
		return nil, err
	}
	path, projectID, err := c.expandPath(ctx, req, region)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(base + path)
	if err != nil {
		return nil, fmt.Errorf("hwc: building the URL of %s: %w", req.Path, err)
	}
	u.RawQuery = encodeQuery(req.Query)
	header := http.Header{}
	// Declared as the SDK does; Content-Type is never signed.
	header.Set("Content-Type", "application/json")
	if projectID != "" {
		header.Set("X-Project-Id", projectID)
	}
	return c.do(ctx, call{
		method: http.MethodGet, u: u, header: header, src: c.creds,
		service: CanonicalEndpointKey(req.Service), region: region,
		defaultHost: !c.overridden(CanonicalEndpointKey(req.Service)),
	})
}

// expandPath fills the template; it also returns the project id used, which
// the SDK sends (signed) as X-Project-Id on project-scoped calls.
func (c *Client) expandPath(ctx context.Context, req Request, region string) (path, projectID string, err error) {
	if !strings.HasPrefix(req.Path, "/") {
		return "", "", fmt.Errorf("hwc: path template %q must start with '/'", req.Path)
	}
	used := make(map[string]bool, len(req.Params))
	var b strings.Builder
	rest := req.Path
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return "", "", fmt.Errorf("hwc: path template %q has an unclosed '{'", req.Path)
		}
		name := rest[open+1 : open+end]
		value, ok := req.Params[name]
		if !ok && name == "project_id" {
			if value, err = c.ProjectID(ctx, region); err != nil {
				return "", "", err
			}
			ok = true
		}
		if !ok {
			return "", "", fmt.Errorf("hwc: path template %q needs a value for %s", req.Path, name)
		}
		if err := ValidatePathParam(name, value); err != nil {
			return "", "", err
		}
		if name == "project_id" {
			projectID = value
		}
		used[name] = true
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(value))
		rest = rest[open+end+1:]
	}
	b.WriteString(rest)
	for name := range req.Params {
		if !used[name] {
			return "", "", fmt.Errorf("hwc: parameter %s is not used by path template %q", name, req.Path)
		}
	}
	return b.String(), projectID, nil
}

// encodeQuery writes the query as the SDK does: keys sorted, values in the
// caller's order, %20 for a space (never '+', which servers may read either
// way), and a bare key for an empty value.
func encodeQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			part := queryEscape(k)
			if v != "" {
				part += "=" + queryEscape(v)
			}
			parts = append(parts, part)
		}
	}
	return strings.Join(parts, "&")
}

func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// call is one request to send: src nil sends it unauthenticated (the
// metadata API); service, region and defaultHost explain failures.
type call struct {
	method      string
	u           *url.URL
	header      http.Header
	body        []byte
	src         credentialSource
	service     string
	region      string
	defaultHost bool
}

// outcome is the result of one attempt and what the retry loop needs to
// decide about the next one.
type outcome struct {
	resp          *Response
	err           error
	retryable     bool
	retryAfter    time.Duration
	hasRetryAfter bool
	// skewed: the gateway refused the signature's date ("signature
	// expired"); the skew was learned and a re-signed attempt may pass.
	skewed bool
	// rejectedTemp: a 401 to temporary keys, which may have expired.
	rejectedTemp *credentials
}

// do runs the attempts of one request.
//
// The loop is hand-written rather than a retrying HTTP library's because
// it retries failures while reading the body (not only on the status),
// waits on the client's shared rate limiter before every attempt, first
// tries included, and re-signs at once, outside the retry budget, after
// learning the gateway's clock skew or refreshing expired temporary keys.
func (c *Client) do(ctx context.Context, cl call) (*Response, error) {
	ctx = c.logContext(ctx)
	method, path := cl.method, cl.u.EscapedPath()
	free := 0 // attempts that do not count against MaxRetries
	skewFixed, refreshed := false, false
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("%s %s: %w", method, path, err)
		}
		if err := c.waitTurn(ctx); err != nil {
			return nil, fmt.Errorf("%s %s: waiting for the request rate limit: %w", method, path, err)
		}
		out := c.attempt(ctx, cl, attempt, skewFixed)
		if out.err == nil {
			return out.resp, nil
		}
		if out.skewed && !skewFixed {
			skewFixed, free = true, free+1
			logRetry(ctx, method, path, attempt, 0, out)
			continue
		}
		if out.rejectedTemp != nil && !refreshed && cl.src != nil && cl.src.rejected(out.rejectedTemp) {
			refreshed, free = true, free+1
			logRetry(ctx, method, path, attempt, 0, out)
			continue
		}
		if !out.retryable || attempt-free > c.cfg.MaxRetries || ctx.Err() != nil {
			return nil, gaveUp(out.err, attempt)
		}
		delay := c.retryDelay(attempt-free, out)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			// Sleeping into the deadline would only trade the server's
			// answer for a bare "deadline exceeded".
			return nil, fmt.Errorf("%w (not retried: the next attempt, due in %s, would pass the deadline)", gaveUp(out.err, attempt), delay.Round(time.Millisecond))
		}
		logRetry(ctx, method, path, attempt, delay, out)
		if err := c.sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("%s %s: %w (while waiting to retry after: %w)", method, path, err, out.err)
		}
	}
}

func gaveUp(err error, attempts int) error {
	if attempts > 1 {
		return fmt.Errorf("%w (gave up after %d attempts)", err, attempts)
	}
	return err
}

// attempt sends one request and reads its whole body under a per-attempt
// timeout, so a server that stalls mid-body is retried like one that never
// answered. skewFixed says the clock skew was already corrected once.
func (c *Client) attempt(ctx context.Context, cl call, n int, skewFixed bool) outcome {
	method, u := cl.method, cl.u
	path := u.EscapedPath()
	var creds *credentials
	if cl.src != nil {
		var err error
		if creds, err = cl.src.get(ctx); err != nil {
			return outcome{err: err}
		}
		ctx = maskCredentials(ctx, creds)
	}
	actx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(actx, method, u.String(), body)
	if err != nil {
		return outcome{err: fmt.Errorf("hwc: %s %s: %w", method, path, err)}
	}
	if cl.header != nil {
		req.Header = cl.header.Clone()
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	switch {
	case creds == nil:
	case creds.authToken != "":
		req.Header.Set(HeaderAuthToken, creds.authToken)
	default:
		signer := Signer{AccessKey: creds.accessKey, SecretKey: creds.secretKey, SecurityToken: creds.securityToken}
		if err := signer.Sign(req, cl.body, c.serverNow()); err != nil {
			return outcome{err: err}
		}
	}
	logRequest(ctx, req, path, n)

	start := time.Now()
	resp, err := c.http.Do(req)
	var respBody []byte
	if err == nil {
		respBody, err = readBody(resp.Body)
		_ = resp.Body.Close()
	}
	elapsed := time.Since(start)
	if err != nil {
		out := outcome{retryable: isTransient(err)}
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err // its text repeats the whole URL, query included
		}
		target := u.Scheme + "://" + u.Host + path
		var dnsErr *net.DNSError
		switch {
		case ctx.Err() != nil:
			out.err, out.retryable = fmt.Errorf("%s %s: %w", method, target, ctx.Err()), false
		case actx.Err() != nil:
			out.err, out.retryable = fmt.Errorf("%s %s: %w (%s, attempt %d)", method, target, ErrTimeout, c.cfg.RequestTimeout, n), true
		case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
			// Asking again will not make the name exist.
			out.err, out.retryable = c.hostNotFound(cl, dnsErr), false
		default:
			out.err = fmt.Errorf("%s %s: %w", method, target, err)
		}
		logResponse(ctx, method, path, n, 0, elapsed, "", out.err)
		return out
	}
	requestID := resp.Header.Get("X-Request-Id")
	logResponse(ctx, method, path, n, resp.StatusCode, elapsed, requestID, nil)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return outcome{resp: &Response{Status: resp.StatusCode, Header: resp.Header, Body: respBody, RequestID: requestID, Path: path}}
	}
	apiErr := newAPIError(method, path, resp.StatusCode, resp.Header, respBody)
	out := outcome{err: apiErr, retryable: retryableStatus(resp.StatusCode)}
	if out.retryable {
		out.retryAfter, out.hasRetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.serverNow()) // an HTTP date is the server's time
	}
	if (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) && cl.src != nil {
		authErr := &AuthError{API: apiErr, Service: cl.service, Source: cl.src.describe(), Token: creds != nil && creds.authToken != ""}
		if resp.StatusCode == http.StatusUnauthorized && strings.Contains(strings.ToLower(apiErr.Message), "signature expired") {
			if server, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
				skew := server.Sub(c.now())
				if !skewFixed {
					c.skew.Store(int64(skew))
					tflog.SubsystemWarn(ctx, logSubsystem, "the gateway refused the signature's date: correcting for the local clock's skew", map[string]any{"skew": skew.Round(time.Second).String()})
					out.skewed = true
				}
				authErr.ClockSkew, authErr.SkewKnown = skew, true
			}
		} else if resp.StatusCode == http.StatusUnauthorized && creds != nil && creds.temporary {
			out.rejectedTemp = creds
		}
		out.err = authErr
	}
	return out
}

// maskCredentials adds the keys of creds to the log masks, so that keys
// fetched at run time (metadata, assume_role) never reach a log either.
func maskCredentials(ctx context.Context, creds *credentials) context.Context {
	var secrets []string
	for _, s := range []string{creds.secretKey, creds.securityToken, creds.authToken} {
		if s != "" {
			secrets = append(secrets, s)
		}
	}
	if len(secrets) == 0 {
		return ctx
	}
	ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, logSubsystem, secrets...)
	return tflog.SubsystemMaskMessageStrings(ctx, logSubsystem, secrets...)
}

func readBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	if len(body) > maxBodyBytes {
		return nil, errBodyTooLarge
	}
	return body, nil
}

var errBodyTooLarge = fmt.Errorf("the answer is larger than %d MiB", maxBodyBytes>>20)

// retryableStatus lists throttling and the gateway/server failures that are
// worth another try; other 4xx answers will not change by asking again.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// isTransient treats transport failures as retryable, except those that a
// retry cannot fix: an untrusted certificate or an oversized answer.
func isTransient(err error) bool {
	var (
		verifyErr    *tls.CertificateVerificationError
		unknownAuth  x509.UnknownAuthorityError
		hostnameErr  x509.HostnameError
		invalidCert  x509.CertificateInvalidError
		recordHeader tls.RecordHeaderError
	)
	switch {
	case errors.Is(err, errBodyTooLarge),
		errors.As(err, &verifyErr), errors.As(err, &unknownAuth),
		errors.As(err, &hostnameErr), errors.As(err, &invalidCert),
		errors.As(err, &recordHeader): // e.g. https to a plain-http port
		return false
	}
	return true
}

// retryDelay honours the server's Retry-After (capped, so a bogus value
// cannot park a plan for hours) and otherwise backs off exponentially with
// full jitter. attempt is the number of the attempt that just failed.
func (c *Client) retryDelay(attempt int, out outcome) time.Duration {
	if out.hasRetryAfter {
		return min(out.retryAfter, retryAfterCap)
	}
	ceiling := backoffCap
	if shift := attempt - 1; shift < 16 { // beyond that the cap applies anyway
		ceiling = min(backoffBase<<shift, backoffCap)
	}
	return c.jitter(ceiling)
}

// parseRetryAfter reads delta-seconds or an HTTP date (relative to now).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(v, 10, 64); err == nil {
		if secs > uint64(retryAfterCap/time.Second) {
			return retryAfterCap, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// waitTurn takes a token from the limiter, sleeping through the injectable
// sleep so tests can observe the spacing instead of timing it.
func (c *Client) waitTurn(ctx context.Context) error {
	if c.limiter == nil {
		return nil
	}
	now := c.clock()
	r := c.limiter.ReserveN(now, 1)
	delay := r.DelayFrom(now)
	if delay <= 0 {
		return nil
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
		r.CancelAt(now)
		return fmt.Errorf("the next slot, in %s, would pass the deadline: %w", delay.Round(time.Millisecond), context.DeadlineExceeded)
	}
	if err := c.sleep(ctx, delay); err != nil {
		r.CancelAt(c.clock())
		return err
	}
	return nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func fullJitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}
