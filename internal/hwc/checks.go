package hwc

// Every rule and default of the client's configuration lives here, once:
// the provider's plan-time validators call these checks and New calls them
// again, so that plan and Configure can never disagree. A check's error
// describes the value only; the caller names the attribute (New names the
// attribute and its environment variable).

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Defaults of settings that are not the client's alone.
const (
	// DefaultEUCloud is the domain suffix of regions whose name starts with
	// "eu-west-1" (e.g. eu-west-101).
	DefaultEUCloud = "myhuaweicloud.eu"
	// DefaultMetadataEndpoint is the ECS instance metadata base URL. It is
	// only ever contacted when Config.UseECSMetadata is set.
	DefaultMetadataEndpoint = "http://169.254.169.254"
	// DefaultAssumeRoleDuration is the lifetime asked for agency credentials.
	DefaultAssumeRoleDuration = time.Hour
	// MinAssumeRoleDuration and MaxAssumeRoleDuration bound what IAM accepts.
	MinAssumeRoleDuration = 900 * time.Second
	MaxAssumeRoleDuration = 43200 * time.Second
	// DefaultMaxRetries is the provider's default of max_retries.
	DefaultMaxRetries = 5
	// DefaultSharedConfigFile is the KooCLI configuration file, under the
	// user's home directory.
	DefaultSharedConfigFile = "~/.hcloud/config.json"
	// IAMService is the endpoint key of IAM.
	IAMService = "iam"
)

var (
	serviceKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// A region and the cloud suffix become part of a host name.
	regionPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// A domain of at least two labels, each 1-63 characters of letters,
	// digits and inner hyphens: no "localhost", no "a..b".
	cloudPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$`)
	// A project is named after its region, a sub-project adds "_" and a
	// suffix (cn-north-4_dev).
	projectNamePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*(_[A-Za-z0-9][A-Za-z0-9_-]*)?$`)
	// IAM agency and domain names: letters, digits, space and -_. as IAM allows.
	agencyPattern = regexp.MustCompile(`^[A-Za-z0-9 ._-]{1,64}$`)
)

// CheckRegion accepts a region name such as cn-north-4.
func CheckRegion(region string) error {
	if !regionPattern.MatchString(region) {
		return fmt.Errorf("%q is not a region name: expected lower-case letters, digits and dashes, like cn-north-4", region)
	}
	return nil
}

// CheckCloud accepts a domain suffix such as myhuaweicloud.com.
func CheckCloud(cloud string) error {
	if len(cloud) > 253 || !cloudPattern.MatchString(cloud) {
		return fmt.Errorf("%q is not a domain name such as %s", cloud, DefaultCloud)
	}
	return nil
}

// DefaultCloudFor is the domain suffix of region when cloud is not set:
// DefaultEUCloud for eu-west-1*, else DefaultCloud.
func DefaultCloudFor(region string) string {
	if strings.HasPrefix(region, "eu-west-1") {
		return DefaultEUCloud
	}
	return DefaultCloud
}

// CheckProjectName accepts a project name: a region name, optionally with
// a sub-project suffix (cn-north-4_dev).
func CheckProjectName(name string) error {
	if len(name) > 64 || !projectNamePattern.MatchString(name) {
		return fmt.Errorf("%q is not a project name: expected a region name such as cn-north-4, or a sub-project such as cn-north-4_dev", name)
	}
	return nil
}

// CheckProjectID accepts a project id (any value that cannot change a path).
func CheckProjectID(id string) error { return ValidatePathParam("project id", id) }

// CheckEndpoint accepts an endpoint base URL: scheme://host[:port][/prefix]
// with scheme http or https, or host[:port][/prefix] meaning https://.
func CheckEndpoint(value string) error {
	_, err := NormalizeEndpoint(value)
	return err
}

// NormalizeEndpoint returns the base URL that value stands for: https://
// added when it has no scheme, no trailing slash.
func NormalizeEndpoint(value string) (string, error) {
	raw := strings.TrimSpace(value)
	if raw == "" {
		return "", fmt.Errorf("an endpoint must not be empty")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%q is not a URL: %w", value, err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("%q must be an http(s) base URL like https://ecs.example.com[:port][/prefix]", value)
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("%q has no host", value)
	case u.User != nil:
		return "", fmt.Errorf("%q must not carry user info", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(raw, "?#"):
		return "", fmt.Errorf("%q must not have a query or fragment: the API path and query are appended to it", value)
	}
	return u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/"), nil
}

// CanonicalEndpointKey maps the official provider's spellings to this
// client's keys: "sfs-turbo" is "sfs_turbo".
func CanonicalEndpointKey(key string) string { return strings.ReplaceAll(key, "-", "_") }

// CheckEndpointKey accepts key (after CanonicalEndpointKey) when it is
// "iam" or one of services; with services nil any well-formed key passes.
// The error lists the valid keys.
func CheckEndpointKey(key string, services []string) error {
	k := CanonicalEndpointKey(key)
	if !serviceKeyPattern.MatchString(k) {
		return fmt.Errorf("%q is not a service key such as ecs or sfs_turbo", key)
	}
	if services == nil || k == IAMService || slices.Contains(services, k) {
		return nil
	}
	valid := append(slices.Clone(services), IAMService)
	slices.Sort(valid)
	return fmt.Errorf("unknown endpoint key %q: valid keys are %s", key, strings.Join(valid, ", "))
}

// CheckAuthURL accepts the IAM endpoint in the official provider's form,
// such as https://iam.cn-north-4.myhuaweicloud.com/v3.
func CheckAuthURL(value string) error {
	_, err := iamBaseFromAuthURL(value)
	return err
}

// iamBaseFromAuthURL is auth_url without its trailing /v3.
func iamBaseFromAuthURL(value string) (string, error) {
	base, err := NormalizeEndpoint(value)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(base, "/v3"), nil
}

// CheckAssumeRoleDuration accepts an agency credential lifetime IAM grants.
func CheckAssumeRoleDuration(d time.Duration) error {
	if d < MinAssumeRoleDuration || d > MaxAssumeRoleDuration || d%time.Second != 0 {
		return fmt.Errorf("%d seconds is out of range: the duration must be a whole number of seconds from %d to %d",
			int64(d/time.Second), int64(MinAssumeRoleDuration/time.Second), int64(MaxAssumeRoleDuration/time.Second))
	}
	return nil
}

// CheckAgencyName accepts an agency or domain name of assume_role.
func CheckAgencyName(name string) error {
	if !agencyPattern.MatchString(name) {
		return fmt.Errorf("%q is not an IAM name: 1 to 64 letters, digits, spaces, '.', '_' or '-'", name)
	}
	return nil
}

// CheckMaxRetries accepts 0 or more.
func CheckMaxRetries(n int64) error {
	if n < 0 || n > 100 {
		return fmt.Errorf("max retries must be from 0 to 100, got %d", n)
	}
	return nil
}

// CheckRequestTimeout parses a positive Go duration such as 30s.
func CheckRequestTimeout(value string) (time.Duration, error) {
	d, err := time.ParseDuration(value)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("must be a positive duration such as 30s, 1m or 1m30s, got %q", value)
	}
	return d, nil
}

// CheckRequestsPerSecond accepts 0 (unlimited) or more.
func CheckRequestsPerSecond(rps float64) error {
	if rps < 0 || math.IsNaN(rps) {
		return fmt.Errorf("requests per second must be 0 (unlimited) or more, got %g", rps)
	}
	return nil
}

// CheckMetadataEndpoint accepts the ECS metadata base URL (http or https).
func CheckMetadataEndpoint(value string) error { return CheckEndpoint(value) }

// AssumeRoleDurationSeconds converts assume_role's duration (seconds, as
// the attribute and HW_ASSUME_ROLE_DURATION give it) and checks it; 0
// means DefaultAssumeRoleDuration.
func AssumeRoleDurationSeconds(seconds int64) (time.Duration, error) {
	if seconds == 0 {
		return DefaultAssumeRoleDuration, nil
	}
	if seconds < 0 || seconds > int64(MaxAssumeRoleDuration/time.Second) {
		return 0, fmt.Errorf("%d seconds is out of range: the duration must be a whole number of seconds from %d to %d",
			seconds, int64(MinAssumeRoleDuration/time.Second), int64(MaxAssumeRoleDuration/time.Second))
	}
	d := time.Duration(seconds) * time.Second
	return d, CheckAssumeRoleDuration(d)
}
