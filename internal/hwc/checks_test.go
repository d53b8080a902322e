package hwc

import (
	"strings"
	"testing"
	"time"
)

// Each rule of checks.go: values it must accept and values it must refuse
// (with a word the error must hold). The provider's plan-time validators
// call these very functions, so these cases are the plan-time rules too.

func TestCheckRegion(t *testing.T) {
	for _, ok := range []string{"cn-north-4", "eu-west-101", "ap-southeast-1", "la-north-2", "myregion"} {
		if err := CheckRegion(ok); err != nil {
			t.Errorf("CheckRegion(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "CN-North-4", "cn north 4", "cn-north-4.", "-cn", "cn--north", "cn-north-4.evil.com/", "cn_north"} {
		if err := CheckRegion(bad); err == nil || !strings.Contains(err.Error(), "not a region name") {
			t.Errorf("CheckRegion(%q) = %v, want a refusal", bad, err)
		}
	}
}

func TestCheckCloud(t *testing.T) {
	for _, ok := range []string{"myhuaweicloud.com", "myhuaweicloud.eu", "example.cloud", "a-b.c-d.internal"} {
		if err := CheckCloud(ok); err != nil {
			t.Errorf("CheckCloud(%q) = %v", ok, err)
		}
	}
	// localhost and a..b passed the provider's old plan-time pattern and
	// failed at Configure; now both refuse them.
	for _, bad := range []string{"", "localhost", "a..b", "my-cloud", "-a.com", "a-.com", "example.com/evil", "example.com:443", ".com", "exa mple.com"} {
		if err := CheckCloud(bad); err == nil || !strings.Contains(err.Error(), "not a domain name") {
			t.Errorf("CheckCloud(%q) = %v, want a refusal", bad, err)
		}
	}
}

func TestDefaultCloudFor(t *testing.T) {
	for region, want := range map[string]string{
		"eu-west-101": DefaultEUCloud, "eu-west-1": DefaultEUCloud, "eu-west-0": DefaultCloud,
		"eu-west-201": DefaultCloud, "cn-north-4": DefaultCloud, "": DefaultCloud,
	} {
		if got := DefaultCloudFor(region); got != want {
			t.Errorf("DefaultCloudFor(%q) = %q, want %q", region, got, want)
		}
	}
}

func TestCheckProjectName(t *testing.T) {
	for _, ok := range []string{"cn-north-4", "cn-north-4_dev", "cn-north-4_Team-A_1"} {
		if err := CheckProjectName(ok); err != nil {
			t.Errorf("CheckProjectName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "cn-north-4_", "_dev", "cn-north-4/dev", "cn-north-4 dev", "CN-north-4", strings.Repeat("a", 65)} {
		if err := CheckProjectName(bad); err == nil || !strings.Contains(err.Error(), "not a project name") {
			t.Errorf("CheckProjectName(%q) = %v, want a refusal", bad, err)
		}
	}
}

func TestCheckProjectID(t *testing.T) {
	if err := CheckProjectID("0605767ea300d5762fd2c0070d1a2b3c"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"", "a/b", "..", "a b"} {
		if err := CheckProjectID(bad); err == nil {
			t.Errorf("CheckProjectID(%q) accepted", bad)
		}
	}
}

func TestNormalizeEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"https://ecs.example.com":         "https://ecs.example.com",
		"http://127.0.0.1:9999/ecs/":      "http://127.0.0.1:9999/ecs",
		"ecs.example.com":                 "https://ecs.example.com",
		"ecs.example.com:8443/prefix":     "https://ecs.example.com:8443/prefix",
		" https://iam.example.com/v3 ":    "https://iam.example.com/v3",
		"https://turbo.internal:8443/a/b": "https://turbo.internal:8443/a/b",
	} {
		got, err := NormalizeEndpoint(in)
		if err != nil || got != want {
			t.Errorf("NormalizeEndpoint(%q) = %q, %v; want %q", in, got, err, want)
		}
		if err := CheckEndpoint(in); err != nil {
			t.Errorf("CheckEndpoint(%q) = %v", in, err)
		}
	}
	for bad, word := range map[string]string{
		"":                    "empty",
		"ftp://h":             "http(s)",
		"http:///x":           "no host",
		"http://u:p@h/":       "user info",
		"http://h/?x=1":       "query",
		"http://h/#f":         "fragment",
		"https://h/%zz":       "not a URL",
		"http://h:notaport/x": "not a URL",
	} {
		if err := CheckEndpoint(bad); err == nil || !strings.Contains(err.Error(), word) {
			t.Errorf("CheckEndpoint(%q) = %v, want an error with %q", bad, err, word)
		}
	}
	if err := CheckEndpoint("http://u:secretpw@h/"); err == nil || strings.Contains(err.Error(), "secretpw") {
		t.Errorf("user info error %v shows the password", err)
	}
}

func TestCheckEndpointKey(t *testing.T) {
	services := []string{"ecs", "elb", "sdrs", "sfs_turbo"}
	for _, ok := range []string{"ecs", "iam", "sfs_turbo", "sfs-turbo"} {
		if err := CheckEndpointKey(ok, services); err != nil {
			t.Errorf("CheckEndpointKey(%q) = %v", ok, err)
		}
	}
	err := CheckEndpointKey("evs", services)
	if err == nil || !strings.Contains(err.Error(), "valid keys are ecs, elb, iam, sdrs, sfs_turbo") {
		t.Errorf("unknown key: %v, want the valid list", err)
	}
	if err := CheckEndpointKey("anything", nil); err != nil {
		t.Errorf("nil services must accept any well-formed key: %v", err)
	}
	if err := CheckEndpointKey("EC S", nil); err == nil {
		t.Error("a malformed key was accepted")
	}
	if got := CanonicalEndpointKey("sfs-turbo"); got != "sfs_turbo" {
		t.Errorf("CanonicalEndpointKey(sfs-turbo) = %q", got)
	}
}

func TestCheckAuthURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://iam.cn-north-4.myhuaweicloud.com/v3":  "https://iam.cn-north-4.myhuaweicloud.com",
		"https://iam.cn-north-4.myhuaweicloud.com/v3/": "https://iam.cn-north-4.myhuaweicloud.com",
		"iam.example.com/v3":                           "https://iam.example.com",
		"http://127.0.0.1:1/iam/v3":                    "http://127.0.0.1:1/iam",
		"https://iam.example.com":                      "https://iam.example.com",
	} {
		got, err := iamBaseFromAuthURL(in)
		if err != nil || got != want {
			t.Errorf("iamBaseFromAuthURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if err := CheckAuthURL("https://iam.example.com/v3?x"); err == nil {
		t.Error("auth_url with a query accepted")
	}
}

func TestCheckAssumeRoleDuration(t *testing.T) {
	for _, ok := range []time.Duration{900 * time.Second, time.Hour, 43200 * time.Second} {
		if err := CheckAssumeRoleDuration(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []time.Duration{0, 899 * time.Second, 43201 * time.Second, 900*time.Second + time.Millisecond} {
		if err := CheckAssumeRoleDuration(bad); err == nil || !strings.Contains(err.Error(), "from 900 to 43200") {
			t.Errorf("%s: %v, want the range", bad, err)
		}
	}
}

func TestCheckAgencyName(t *testing.T) {
	for _, ok := range []string{"ci_agency", "Ops Agency.1", "my-domain"} {
		if err := CheckAgencyName(ok); err != nil {
			t.Errorf("CheckAgencyName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a/b", "a\"b", strings.Repeat("a", 65)} {
		if err := CheckAgencyName(bad); err == nil {
			t.Errorf("CheckAgencyName(%q) accepted", bad)
		}
	}
}

func TestCheckNumbers(t *testing.T) {
	if CheckMaxRetries(0) != nil || CheckMaxRetries(5) != nil || CheckMaxRetries(-1) == nil || CheckMaxRetries(101) == nil {
		t.Error("CheckMaxRetries: want 0..100")
	}
	if d, err := CheckRequestTimeout("1m30s"); err != nil || d != 90*time.Second {
		t.Errorf("CheckRequestTimeout(1m30s) = %s, %v", d, err)
	}
	for _, bad := range []string{"", "0s", "-1s", "30"} {
		if _, err := CheckRequestTimeout(bad); err == nil {
			t.Errorf("CheckRequestTimeout(%q) accepted", bad)
		}
	}
	if CheckRequestsPerSecond(0) != nil || CheckRequestsPerSecond(2.5) != nil || CheckRequestsPerSecond(-0.1) == nil {
		t.Error("CheckRequestsPerSecond: want >= 0")
	}
}

func TestNearestRegions(t *testing.T) {
	for typo, want := range map[string]string{"cn-nort-4": "cn-north-4", "ap-southeast1": "ap-southeast-1", "eu-west-11": "eu-west-101"} {
		got := nearestRegions(typo)
		found := false
		for _, g := range got {
			found = found || g == want
		}
		if !found {
			t.Errorf("nearestRegions(%q) = %v, want it to include %s", typo, got, want)
		}
	}
	if got := nearestRegions("completely-different-name"); len(got) != 0 {
		t.Errorf("far name got suggestions %v", got)
	}
}

func TestAssumeRoleDurationSeconds(t *testing.T) {
	for in, want := range map[int64]time.Duration{0: DefaultAssumeRoleDuration, 900: 900 * time.Second, 43200: 12 * time.Hour} {
		if got, err := AssumeRoleDurationSeconds(in); err != nil || got != want {
			t.Errorf("AssumeRoleDurationSeconds(%d) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []int64{-1, 899, 43201, 1 << 60} {
		if _, err := AssumeRoleDurationSeconds(bad); err == nil || !strings.Contains(err.Error(), "from 900 to 43200") {
			t.Errorf("AssumeRoleDurationSeconds(%d) = %v, want the range", bad, err)
		}
	}
}
