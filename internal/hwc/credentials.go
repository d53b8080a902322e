package hwc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/singleflight"
)

// AssumeRole trades the base credentials for an agency's temporary ones
// (IAM POST /v3.0/OS-CREDENTIAL/securitytokens).
type AssumeRole struct {
	// AgencyName and DomainName name the agency and the account that owns it.
	AgencyName, DomainName string
	// Duration is the lifetime asked for; 0 means DefaultAssumeRoleDuration.
	Duration time.Duration
}

// Names of the credential sources, as the missing-credentials error and
// CredentialSource report them: attribute names, not credentials.
//
//nolint:gosec // G101: attribute names
const (
	SourceAuthToken    = "auth_token"
	SourceAccessKey    = "access_key"
	SourceSharedConfig = "shared_config_file"
	SourceECSMetadata  = "use_ecs_metadata"
)

// ErrNoCredentials is wrapped by New's error when no source is usable.
var ErrNoCredentials = errors.New("no credentials")

// missingCredentialsText lists every source with its attributes and variables.
//
//nolint:gosec // G101: attribute and variable names
const missingCredentialsText = "no credentials: set one of\n" +
	"  - auth_token (HW_AUTH_TOKEN): an IAM token;\n" +
	"  - access_key and secret_key (HW_ACCESS_KEY and HW_SECRET_KEY), with security_token (HW_SECURITY_TOKEN) for temporary keys;\n" +
	"  - shared_config_file and/or profile (HW_SHARED_CONFIG_FILE, HW_PROFILE): a KooCLI profile (default file " + DefaultSharedConfigFile + ");\n" +
	"  - use_ecs_metadata = true (HW_USE_ECS_METADATA=true): the agency of the ECS instance Terraform runs on;\n" +
	"optionally with assume_role (HW_ASSUME_ROLE_AGENCY_NAME, HW_ASSUME_ROLE_DOMAIN_NAME) on top of any but auth_token"

// CredentialError is a failure to obtain temporary credentials from a
// source (ECS metadata, assume_role). Its text names the setting and its
// variable; Source is what CredentialSource reports.
type CredentialError struct {
	Source string
	Err    error
}

func (e *CredentialError) Error() string { return e.Err.Error() }

// Unwrap returns the cause (an *AuthError, *APIError, ... when there is one).
func (e *CredentialError) Unwrap() error { return e.Err }

// credentials authenticate one request: a token, or keys to sign with.
type credentials struct {
	authToken                           string
	accessKey, secretKey, securityToken string
	// temporary keys: useless from expires on (gateway time); received is
	// the local time they arrived.
	temporary         bool
	expires, received time.Time
}

// credentialSource hands out credentials; temporary ones are fetched once
// and shared by every request until they are due for a refresh.
type credentialSource interface {
	get(ctx context.Context) (*credentials, error)
	// rejected is told that the gateway refused creds as expired; it
	// reports whether fetching anew may help.
	rejected(creds *credentials) bool
	describe() string
}

type staticSource struct {
	creds *credentials
	name  string
}

func (s *staticSource) get(context.Context) (*credentials, error) { return s.creds, nil }
func (s *staticSource) rejected(*credentials) bool                { return false }
func (s *staticSource) describe() string                          { return s.name }

// tempSource caches temporary credentials. Refresh is due when less than
// ten minutes or less than half the issued lifetime remain, whichever is
// less (the lifetime runs from receipt to expires_at). Both are judged on
// the local clock corrected by the gateway's skew as known at the time of
// judging, so a skew learned after the keys arrived still counts.
type tempSource struct {
	name  string
	fetch func(ctx context.Context) (*credentials, error)
	now   func() time.Time     // local clock
	skew  func() time.Duration // gateway minus local; nil means 0
	base  credentialSource     // what assume_role trades; nil for metadata

	mu      sync.Mutex
	cur     *credentials
	group   singleflight.Group
	fetches atomic.Int64
}

const refreshMargin = 10 * time.Minute

func (t *tempSource) describe() string { return t.name }

func (t *tempSource) offset() time.Duration {
	if t.skew == nil {
		return 0
	}
	return t.skew()
}

// refreshAt is when c is due for a refresh, in gateway time.
func (t *tempSource) refreshAt(c *credentials) time.Time {
	lifetime := max(c.expires.Sub(c.received.Add(t.offset())), 0) // keys that arrive expired are due at once
	return c.expires.Add(-min(refreshMargin, lifetime/2))
}

// fresh reports whether c is not yet due for a refresh.
func (t *tempSource) fresh(c *credentials) bool {
	return c != nil && t.now().Add(t.offset()).Before(t.refreshAt(c))
}

func (t *tempSource) current() *credentials {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cur
}

func (t *tempSource) get(ctx context.Context) (*credentials, error) {
	if cur := t.current(); t.fresh(cur) {
		return cur, nil
	}
	// One fetch for every caller; it runs detached from the first caller's
	// context, so that its cancellation does not fail the others, and each
	// caller still stops waiting when its own context ends.
	ch := t.group.DoChan("", func() (any, error) {
		if cur := t.current(); t.fresh(cur) {
			return cur, nil
		}
		t.fetches.Add(1)
		fresh, err := t.fetch(context.WithoutCancel(ctx))
		if err != nil {
			if cur := t.current(); cur != nil && t.now().Add(t.offset()).Before(cur.expires) {
				// Early refresh failed but the keys still work: use them.
				tflog.SubsystemWarn(ctx, logSubsystem, "refreshing temporary credentials failed; the current ones are still valid", map[string]any{"source": t.name, "error": err.Error()})
				return cur, nil
			}
			return nil, &CredentialError{Source: t.name, Err: err}
		}
		fresh.received = t.now()
		t.mu.Lock()
		t.cur = fresh
		t.mu.Unlock()
		tflog.SubsystemDebug(ctx, logSubsystem, "temporary credentials fetched", map[string]any{
			"source": t.name, "expires_at": fresh.expires.UTC().Format(time.RFC3339), "refresh_at": t.refreshAt(fresh).UTC().Format(time.RFC3339),
		})
		return fresh, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*credentials), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (t *tempSource) rejected(creds *credentials) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cur == creds {
		t.cur = nil
	}
	return true
}

// CredentialFetches reports how many times this client fetched temporary
// credentials (ECS metadata or assume_role), for tests and benchmarks.
func (c *Client) CredentialFetches() int64 {
	var n int64
	for src := c.creds; src != nil; {
		ts, ok := src.(*tempSource)
		if !ok {
			break
		}
		n += ts.fetches.Load()
		src = ts.base
	}
	return n
}

// CredentialSource names the source in use: auth_token, access_key,
// shared_config_file (with the profile), use_ecs_metadata, or
// "assume_role over <base>".
func (c *Client) CredentialSource() string { return c.creds.describe() }

// buildCredentials picks the first usable source of cfg (after the shared
// profile was merged) and wraps it in assume_role when asked.
func (c *Client) buildCredentials(cfg *Config, profile *SharedProfile) error {
	hasAKSK := cfg.AccessKey != "" || cfg.SecretKey != ""
	switch {
	case hasAKSK && cfg.AccessKey == "":
		return errors.New("secret_key (HW_SECRET_KEY) is set but access_key is not: set access_key or HW_ACCESS_KEY")
	case hasAKSK && cfg.SecretKey == "":
		return errors.New("access_key (HW_ACCESS_KEY) is set but secret_key is not: set secret_key or HW_SECRET_KEY")
	case hasAKSK && cfg.AuthToken != "":
		return errors.New("both access_key/secret_key (HW_ACCESS_KEY, HW_SECRET_KEY) and auth_token (HW_AUTH_TOKEN) are set: use one kind of credentials")
	case cfg.SecurityToken != "" && !hasAKSK:
		return errors.New("security_token (HW_SECURITY_TOKEN) is set without the temporary access_key and secret_key (HW_ACCESS_KEY, HW_SECRET_KEY) it belongs to")
	case cfg.AuthToken != "" && cfg.AssumeRole != nil:
		return errors.New("assume_role cannot be used with auth_token (HW_AUTH_TOKEN): a token cannot be traded for an agency's credentials; use access_key and secret_key, a profile or use_ecs_metadata")
	}
	var base credentialSource
	switch {
	case cfg.AuthToken != "":
		base = &staticSource{name: SourceAuthToken, creds: &credentials{authToken: cfg.AuthToken}}
	case hasAKSK:
		base = &staticSource{name: SourceAccessKey, creds: &credentials{accessKey: cfg.AccessKey, secretKey: cfg.SecretKey, securityToken: cfg.SecurityToken}}
	case profile != nil:
		base = &staticSource{name: fmt.Sprintf("%s (profile %s)", SourceSharedConfig, profile.Name),
			creds: &credentials{accessKey: profile.AccessKey, secretKey: profile.SecretKey, securityToken: profile.SecurityToken}}
	case cfg.UseECSMetadata:
		base = &tempSource{name: SourceECSMetadata, now: c.now, skew: c.ClockSkew, fetch: c.fetchMetadataCredentials}
	default:
		return fmt.Errorf("%w: %s", ErrNoCredentials, strings.TrimPrefix(missingCredentialsText, "no credentials: "))
	}
	c.creds = base
	if cfg.AssumeRole != nil {
		ar := *cfg.AssumeRole
		ts := &tempSource{name: "assume_role (agency " + ar.AgencyName + ") over " + base.describe(), now: c.now, skew: c.ClockSkew, base: base}
		ts.fetch = func(ctx context.Context) (*credentials, error) { return c.fetchAgencyCredentials(ctx, base, ar) }
		c.creds = ts
	}
	return nil
}

// credentialAnswer is what IAM and the metadata API answer.
type credentialAnswer struct {
	Credential struct {
		Access        string `json:"access"`
		Secret        string `json:"secret"`
		SecurityToken string `json:"securitytoken"`
		ExpiresAt     string `json:"expires_at"`
	} `json:"credential"`
}

// decodeCredentials reads an answer; its errors never hold the body.
func decodeCredentials(body []byte, where string) (*credentials, error) {
	var a credentialAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("%s answered something that is not a credential (%s)", where, jsonErrorText(err))
	}
	c := a.Credential
	var missing []string
	for name, v := range map[string]string{"access": c.Access, "secret": c.Secret, "securitytoken": c.SecurityToken, "expires_at": c.ExpiresAt} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s answered a credential without %s", where, strings.Join(slices.Sorted(slices.Values(missing)), ", "))
	}
	expires, err := time.Parse(time.RFC3339Nano, c.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("%s answered an expires_at that is not an RFC 3339 time", where)
	}
	return &credentials{accessKey: c.Access, secretKey: c.Secret, securityToken: c.SecurityToken, temporary: true, expires: expires}, nil
}

const metadataSetting = "use_ecs_metadata (HW_USE_ECS_METADATA)"

// fetchMetadataCredentials asks the ECS instance metadata API for the
// instance agency's temporary keys.
func (c *Client) fetchMetadataCredentials(ctx context.Context) (*credentials, error) {
	u, err := url.Parse(c.metadataBase + "/openstack/latest/securitykey")
	if err != nil {
		return nil, fmt.Errorf("%s: metadata endpoint: %w", metadataSetting, err)
	}
	resp, err := c.do(ctx, call{method: http.MethodGet, u: u, service: "metadata"})
	if err != nil {
		if IsNotFound(err) {
			return nil, fmt.Errorf("%s: the ECS instance metadata has no security key (%w): attach an agency to the instance, or use another credential source", metadataSetting, err)
		}
		return nil, fmt.Errorf("%s: reading the ECS instance metadata: %w", metadataSetting, err)
	}
	return decodeCredentials(resp.Body, metadataSetting+": the ECS instance metadata at "+c.metadataBase)
}

// fetchAgencyCredentials trades base's credentials for the agency's.
func (c *Client) fetchAgencyCredentials(ctx context.Context, base credentialSource, ar AssumeRole) (*credentials, error) {
	iam, err := c.Endpoint(IAMService, "", "")
	if err != nil {
		return nil, fmt.Errorf("assume_role: %w", err)
	}
	u, err := url.Parse(iam + "/v3.0/OS-CREDENTIAL/securitytokens")
	if err != nil {
		return nil, fmt.Errorf("assume_role: %w", err)
	}
	var body struct {
		Auth struct {
			Identity struct {
				Methods    []string `json:"methods"`
				AssumeRole struct {
					AgencyName      string `json:"agency_name"`
					DomainName      string `json:"domain_name"`
					DurationSeconds int64  `json:"duration_seconds"`
				} `json:"assume_role"`
			} `json:"identity"`
		} `json:"auth"`
	}
	body.Auth.Identity.Methods = []string{"assume_role"}
	body.Auth.Identity.AssumeRole.AgencyName = ar.AgencyName
	body.Auth.Identity.AssumeRole.DomainName = ar.DomainName
	body.Auth.Identity.AssumeRole.DurationSeconds = int64(ar.Duration / time.Second)
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	header := http.Header{}
	header.Set("Content-Type", "application/json;charset=UTF-8")
	resp, err := c.do(ctx, call{method: http.MethodPost, u: u, header: header, body: append(raw, '\n'), src: base, service: IAMService, defaultHost: !c.overridden(IAMService)})
	where := fmt.Sprintf("agency %q of domain %q (assume_role agency_name and domain_name, or HW_ASSUME_ROLE_AGENCY_NAME and HW_ASSUME_ROLE_DOMAIN_NAME)", ar.AgencyName, ar.DomainName)
	if err != nil {
		var authErr *AuthError
		if errors.As(err, &authErr) && authErr.Forbidden() {
			return nil, withAuthContext(err, "IAM refused "+where+": check the names and that the agency trusts the account of these credentials")
		}
		if authErr != nil {
			return nil, withAuthContext(err, "while assuming "+where)
		}
		return nil, fmt.Errorf("assume_role: %s: %w", where, err)
	}
	return decodeCredentials(resp.Body, "assume_role: IAM, asked for "+where+",")
}
