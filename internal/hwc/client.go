// Package hwc talks HTTP to Huawei Cloud: endpoints, AK/SK signing or token
// auth, retries with backoff, one rate limiter per client, error decoding and
// the IAM project-id look-up. It knows nothing of Terraform beyond logging
// through tflog, so it can be tested, and reused, on its own.
package hwc

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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

// Config is everything a Client needs. The provider resolves HCL attributes,
// environment variables and defaults into it; New only fills the defaults
// that are the client's own.
type Config struct {
	// Region is the default region of requests that name none.
	Region string
	// ProjectID is the project of Region; when empty it is looked up in IAM.
	ProjectID string
	// AccessKey and SecretKey sign every request (SDK-HMAC-SHA256).
	AccessKey, SecretKey string
	// SecurityToken goes with a temporary AK/SK, sent as X-Security-Token.
	SecurityToken string
	// AuthToken is an IAM token sent as X-Auth-Token instead of signing.
	AuthToken string
	// Cloud is the endpoint domain suffix; "" means DefaultCloud.
	Cloud string
	// Endpoints overrides the base URL (scheme://host[:port][/prefix]) of a
	// service key ("ecs", "elb", "sdrs", "sfs_turbo", "iam"); the API path
	// is appended to it, prefix kept.
	Endpoints map[string]string
	// Insecure skips TLS certificate verification (ignored when Transport is set).
	Insecure bool
	// MaxRetries is how many times one request is retried; 0 disables retries.
	MaxRetries int
	// RequestTimeout bounds one attempt including reading the body; 0 means
	// DefaultRequestTimeout.
	RequestTimeout time.Duration
	// RequestsPerSecond limits every attempt of this client, retries
	// included; 0 means unlimited.
	RequestsPerSecond float64
	// UserAgent is sent on every request; "" means DefaultUserAgent.
	UserAgent string
	// Transport replaces the HTTP transport, for tests.
	Transport http.RoundTripper
	// Now is the signing clock; nil means time.Now.
	Now func() time.Time
}

// Client sends requests to Huawei Cloud APIs. It is safe for concurrent use;
// one Client, hence one rate limiter and one project-id cache, belongs to
// one provider instance.
type Client struct {
	cfg       Config
	endpoints map[string]string
	http      *http.Client
	signer    *Signer
	limiter   *rate.Limiter
	projects  projectCache

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

var (
	serviceKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// A region and the cloud suffix become part of a host name.
	regionPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	cloudPattern  = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$`)
)

// New checks cfg and builds a Client with its own HTTP transport and rate
// limiter. Exactly one credential kind must be given: AccessKey+SecretKey
// (optionally with SecurityToken) or AuthToken.
func New(cfg Config) (*Client, error) {
	hasAKSK := cfg.AccessKey != "" || cfg.SecretKey != ""
	switch {
	case hasAKSK && (cfg.AccessKey == "" || cfg.SecretKey == ""):
		return nil, errors.New("hwc: access key and secret key must be set together")
	case hasAKSK && cfg.AuthToken != "":
		return nil, errors.New("hwc: set either an access key and secret key or an auth token, not both")
	case !hasAKSK && cfg.AuthToken == "":
		return nil, errors.New("hwc: no credentials: set an access key and secret key, or an auth token")
	case cfg.SecurityToken != "" && !hasAKSK:
		return nil, errors.New("hwc: a security token needs the temporary access key and secret key it belongs to")
	}
	if cfg.Region != "" && !regionPattern.MatchString(cfg.Region) {
		return nil, fmt.Errorf("hwc: invalid region %q: expected lower-case letters, digits and dashes, like cn-north-4", cfg.Region)
	}
	if cfg.Cloud == "" {
		cfg.Cloud = DefaultCloud
	} else if !cloudPattern.MatchString(cfg.Cloud) {
		return nil, fmt.Errorf("hwc: invalid cloud %q: expected a domain name such as %s", cfg.Cloud, DefaultCloud)
	}
	if cfg.MaxRetries < 0 {
		return nil, fmt.Errorf("hwc: max retries must not be negative, got %d", cfg.MaxRetries)
	}
	if cfg.RequestTimeout < 0 {
		return nil, fmt.Errorf("hwc: request timeout must not be negative, got %s", cfg.RequestTimeout)
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.RequestsPerSecond < 0 {
		return nil, fmt.Errorf("hwc: requests per second must not be negative, got %g", cfg.RequestsPerSecond)
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	endpoints := make(map[string]string, len(cfg.Endpoints))
	for key, raw := range cfg.Endpoints {
		base, err := normalizeEndpoint(key, raw)
		if err != nil {
			return nil, err
		}
		endpoints[key] = base
	}
	cfg.Endpoints = nil // the normalized copy is authoritative

	c := &Client{
		cfg:       cfg,
		endpoints: endpoints,
		now:       time.Now,
		clock:     time.Now,
		sleep:     sleepContext,
		jitter:    fullJitter,
	}
	if cfg.Now != nil {
		c.now = cfg.Now
	}
	if hasAKSK {
		c.signer = &Signer{AccessKey: cfg.AccessKey, SecretKey: cfg.SecretKey, SecurityToken: cfg.SecurityToken}
	}
	if cfg.RequestsPerSecond > 0 {
		// Burst 1: the limit is a spacing, so a plan with hundreds of data
		// sources cannot open with a burst the gateway would throttle.
		c.limiter = rate.NewLimiter(rate.Limit(cfg.RequestsPerSecond), 1)
	}
	transport := cfg.Transport
	if transport == nil {
		t := &http.Transport{Proxy: http.ProxyFromEnvironment}
		if def, ok := http.DefaultTransport.(*http.Transport); ok {
			t = def.Clone() // keeps proxy, HTTP/2 and connection-pool defaults
		}
		if cfg.Insecure {
			t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the user asked for it (insecure = true)
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

func normalizeEndpoint(key, raw string) (string, error) {
	if !serviceKeyPattern.MatchString(key) {
		return "", fmt.Errorf("hwc: invalid endpoint key %q: expected a service key such as ecs or sfs_turbo", key)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("hwc: endpoint %s: invalid URL %q: %w", key, raw, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("hwc: endpoint %s: %q must be an absolute http(s) URL like https://ecs.example.com[:port][/prefix]", key, raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("hwc: endpoint %s: %q must not carry user info, a query or a fragment", key, raw)
	}
	return u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/"), nil
}

// Endpoint returns the base URL of a service key in a region: the
// configured override if any (path prefix kept, no trailing slash), else
// https://{host}.{region}.{cloud} with the service's host label (host ""
// means the key itself). region "" means Config.Region.
func (c *Client) Endpoint(service, host, region string) (string, error) {
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
	if !regionPattern.MatchString(region) {
		return "", fmt.Errorf("hwc: invalid region %q: expected lower-case letters, digits and dashes, like cn-north-4", region)
	}
	if host == "" {
		host = service
	}
	return "https://" + host + "." + region + "." + c.cfg.Cloud, nil
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
	return c.do(ctx, http.MethodGet, u, header)
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

// outcome is the result of one attempt and what the retry loop needs to
// decide about the next one.
type outcome struct {
	resp          *Response
	err           error
	retryable     bool
	retryAfter    time.Duration
	hasRetryAfter bool
}

// do runs the attempts of one request. The limiter is waited on before
// every attempt, so retries count against the rate like first tries.
func (c *Client) do(ctx context.Context, method string, u *url.URL, header http.Header) (*Response, error) {
	ctx = c.logContext(ctx)
	path := u.EscapedPath()
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("%s %s: %w", method, path, err)
		}
		if err := c.waitTurn(ctx); err != nil {
			return nil, fmt.Errorf("%s %s: waiting for the request rate limit: %w", method, path, err)
		}
		out := c.attempt(ctx, method, u, header, attempt)
		if out.err == nil {
			return out.resp, nil
		}
		if !out.retryable || attempt > c.cfg.MaxRetries || ctx.Err() != nil {
			return nil, gaveUp(out.err, attempt)
		}
		delay := c.retryDelay(attempt, out)
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
// answered.
func (c *Client) attempt(ctx context.Context, method string, u *url.URL, header http.Header, n int) outcome {
	path := u.EscapedPath()
	actx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, method, u.String(), nil)
	if err != nil {
		return outcome{err: fmt.Errorf("hwc: %s %s: %w", method, path, err)}
	}
	req.Header = header.Clone()
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if c.signer != nil {
		if err := c.signer.Sign(req, nil, c.now()); err != nil {
			return outcome{err: err}
		}
	} else {
		req.Header.Set(HeaderAuthToken, c.cfg.AuthToken)
	}
	logRequest(ctx, req, path, n)

	start := time.Now()
	resp, err := c.http.Do(req)
	var body []byte
	if err == nil {
		body, err = readBody(resp.Body)
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
		switch {
		case ctx.Err() != nil:
			out.err, out.retryable = fmt.Errorf("%s %s: %w", method, target, ctx.Err()), false
		case actx.Err() != nil:
			out.err, out.retryable = fmt.Errorf("%s %s: %w (%s, attempt %d)", method, target, ErrTimeout, c.cfg.RequestTimeout, n), true
		default:
			out.err = fmt.Errorf("%s %s: %w", method, target, err)
		}
		logResponse(ctx, method, path, n, 0, elapsed, "", out.err)
		return out
	}
	requestID := resp.Header.Get("X-Request-Id")
	logResponse(ctx, method, path, n, resp.StatusCode, elapsed, requestID, nil)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return outcome{resp: &Response{Status: resp.StatusCode, Header: resp.Header, Body: body, RequestID: requestID, Path: path}}
	}
	out := outcome{
		err:       newAPIError(method, path, resp.StatusCode, resp.Header, body),
		retryable: retryableStatus(resp.StatusCode),
	}
	if out.retryable {
		out.retryAfter, out.hasRetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
	}
	return out
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
