package hwc

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/testsupport/signvectors"
)

type signVector struct {
	Name             string            `json:"name"`
	AccessKey        string            `json:"access_key"`
	SecretKey        string            `json:"secret_key"`
	SecurityToken    string            `json:"security_token"`
	Method           string            `json:"method"`
	URL              string            `json:"url"`
	Headers          map[string]string `json:"headers"`
	Body             string            `json:"body"`
	XSdkDate         string            `json:"x_sdk_date"`
	CanonicalRequest string            `json:"canonical_request"`
	StringToSign     string            `json:"string_to_sign"`
	Signature        string            `json:"signature"`
	SignedHeaders    string            `json:"signed_headers"`
	Authorization    string            `json:"authorization"`
}

func loadVectors(t *testing.T) []signVector {
	t.Helper()
	var file struct {
		Algorithm string       `json:"algorithm"`
		Vectors   []signVector `json:"vectors"`
	}
	if err := json.Unmarshal(signvectors.JSON, &file); err != nil {
		t.Fatalf("decoding the signing vectors: %v", err)
	}
	if file.Algorithm != SigningAlgorithm || len(file.Vectors) == 0 {
		t.Fatalf("signing vectors: algorithm %q with %d vectors", file.Algorithm, len(file.Vectors))
	}
	return file.Vectors
}

// requestFromVector rebuilds the request as it stood when the SDK signed it:
// the headers Go's transport writes afterwards are dropped, unless the
// vector's signed list shows the caller had set them itself (explicit Host).
func requestFromVector(t *testing.T, v signVector) *http.Request {
	t.Helper()
	r, err := http.NewRequest(v.Method, v.URL, strings.NewReader(v.Body))
	if err != nil {
		t.Fatalf("building the request: %v", err)
	}
	signed := strings.Split(v.SignedHeaders, ";")
	addedByTransport := map[string]bool{"host": true, "authorization": true, "accept-encoding": true, "content-length": true, "user-agent": true}
	for name, value := range v.Headers {
		lower := strings.ToLower(name)
		if addedByTransport[lower] && !slices.Contains(signed, lower) {
			continue
		}
		// Direct map write: Go's transport ignores Header["Host"] and
		// so does nothing else here, but the signer must see it.
		r.Header[http.CanonicalHeaderKey(name)] = []string{value}
	}
	r.Header.Set(HeaderSdkDate, v.XSdkDate)
	return r
}

func TestSignVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			r := requestFromVector(t, v)
			body := []byte(v.Body)

			canon, signed := CanonicalRequest(r, body)
			if canon != v.CanonicalRequest {
				t.Errorf("canonical request\n got: %q\nwant: %q", canon, v.CanonicalRequest)
			}
			if signed != v.SignedHeaders {
				t.Errorf("signed headers = %q, want %q", signed, v.SignedHeaders)
			}
			sts := StringToSign(canon, v.XSdkDate)
			if sts != v.StringToSign {
				t.Errorf("string to sign\n got: %q\nwant: %q", sts, v.StringToSign)
			}
			if sig := Signature(sts, v.SecretKey); sig != v.Signature {
				t.Errorf("signature = %s, want %s", sig, v.Signature)
			}

			// The full path: Sign must keep the preset date and add the
			// security token itself, so start without it.
			r.Header.Del(HeaderSecurityToken)
			s := Signer{AccessKey: v.AccessKey, SecretKey: v.SecretKey, SecurityToken: v.SecurityToken}
			if err := s.Sign(r, body, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if got := r.Header.Get("Authorization"); got != v.Authorization {
				t.Errorf("Authorization\n got: %s\nwant: %s", got, v.Authorization)
			}
			if got := r.Header.Get(HeaderSdkDate); got != v.XSdkDate {
				t.Errorf("X-Sdk-Date = %s, want the preset %s", got, v.XSdkDate)
			}
		})
	}
}

func TestSignSetsDateAndReplacesInvalidPreset(t *testing.T) {
	now := time.Date(2024, 1, 15, 16, 9, 10, 0, time.FixedZone("CST", 8*3600))
	for _, preset := range []string{"", "2024-01-15T08:09:10Z", "garbage"} {
		r, _ := http.NewRequest(http.MethodGet, "https://ecs.cn-north-4.myhuaweicloud.com/v1/p/jobs/j", nil)
		if preset != "" {
			r.Header.Set(HeaderSdkDate, preset)
		}
		r.Header["x-sdk-date"] = []string{"20000101T000000Z"} // a second spelling must not be signed twice
		if err := (Signer{AccessKey: "AK", SecretKey: "SK"}).Sign(r, nil, now); err != nil {
			t.Fatal(err)
		}
		if got := r.Header.Get(HeaderSdkDate); got != "20240115T080910Z" {
			t.Errorf("preset %q: X-Sdk-Date = %q, want the UTC clock 20240115T080910Z", preset, got)
		}
		if _, ok := r.Header["x-sdk-date"]; ok { //nolint:staticcheck // SA1008: the raw lower-case key is what the test looks for
			t.Errorf("preset %q: the lower-case spelling survived", preset)
		}
		if !strings.Contains(r.Header.Get("Authorization"), "SignedHeaders=x-sdk-date,") {
			t.Errorf("preset %q: Authorization = %s", preset, r.Header.Get("Authorization"))
		}
	}
}

func TestSignIsRepeatable(t *testing.T) {
	r, _ := http.NewRequest(http.MethodGet, "https://iam.example.com/v3/projects?name=cn-north-4", nil)
	s := Signer{AccessKey: "AK", SecretKey: "SK", SecurityToken: "TOKEN"}
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Sign(r, nil, now); err != nil {
		t.Fatal(err)
	}
	first := r.Header.Get("Authorization")
	if !strings.Contains(first, "SignedHeaders=x-sdk-date;x-security-token,") {
		t.Errorf("security token not signed: %s", first)
	}
	if err := s.Sign(r, nil, now); err != nil {
		t.Fatal(err)
	}
	if again := r.Header.Get("Authorization"); again != first {
		t.Errorf("signing twice changed Authorization:\n%s\n%s", first, again)
	}
}

func TestSignAddsUnsignedPayloadForOpaqueContentTypes(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json":                             false,
		"application/json;charset=UTF-8":               false,
		"application/bson":                             false,
		"multipart/form-data; boundary=x":              true,
		"application/octet-stream":                     true,
		"Application/JSON":                             true, // the SDK's test is case-sensitive
		"application/openstack-images-v2.1-json-patch": true,
	} {
		r, _ := http.NewRequest(http.MethodPost, "https://ims.example.com/v2/images", bytes.NewReader([]byte("x")))
		r.Header.Set("Content-Type", ct)
		if err := (Signer{AccessKey: "AK", SecretKey: "SK"}).Sign(r, []byte("x"), time.Now()); err != nil {
			t.Fatal(err)
		}
		canon, _ := CanonicalRequest(r, []byte("x"))
		got := strings.HasSuffix(canon, "\n"+UnsignedPayload)
		if got != want || (r.Header.Get(HeaderContentSha256) == UnsignedPayload) != want {
			t.Errorf("Content-Type %q: unsigned payload = %v, want %v", ct, got, want)
		}
	}
}

func TestSignRejectsMissingKeys(t *testing.T) {
	r, _ := http.NewRequest(http.MethodGet, "https://x.example.com/", nil)
	for _, s := range []Signer{{}, {AccessKey: "AK"}, {SecretKey: "SK"}} {
		if err := s.Sign(r, nil, time.Now()); err == nil {
			t.Errorf("Sign with %+v succeeded", s)
		}
	}
}

func TestCanonicalURI(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "/",
		"/":                     "/",
		"/v3/projects":          "/v3/projects/",
		"/v3/projects/":         "/v3/projects/",
		"/a b/+/%2F/ü":          "/a%20b/%2B/%252F/%C3%BC/",
		"/keep-_.~/!*'()$&,;=@": "/keep-_.~/%21%2A%27%28%29%24%26%2C%3B%3D%40/",
		"//double":              "//double/",
	} {
		if got := CanonicalURI(in); got != want {
			t.Errorf("CanonicalURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	for in, want := range map[string]string{
		"":        "",
		"b=2&a=1": "a=1&b=2",
		"name=w%C3%A9b&name=web%2Ba&name=web%20b": "name=web%20b&name=web%2Ba&name=w%C3%A9b",
		"flag&x=":  "flag=&x=",
		"bad=%zz":  "bad=%25zz",
		"a=1&&b=2": "a=1&b=2",
	} {
		if got := CanonicalQuery(in); got != want {
			t.Errorf("CanonicalQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzCanonicalURI(f *testing.F) {
	for _, s := range []string{"", "/", "/v1/p/jobs/j", "/a b/%2F/ü/", "\xff\x00/..", "//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		got := CanonicalURI(path)
		if !strings.HasSuffix(got, "/") {
			t.Fatalf("CanonicalURI(%q) = %q does not end in '/'", path, got)
		}
		for i := 0; i < len(got); i++ {
			if c := got[i]; c > 0x7e || c < 0x21 {
				t.Fatalf("CanonicalURI(%q) = %q holds unescaped byte %#x", path, got, c)
			}
		}
		// Unescaping must give back the segments.
		if u, err := url.PathUnescape(got); err != nil || strings.TrimSuffix(u, "/") != strings.TrimSuffix(path, "/") {
			t.Fatalf("CanonicalURI(%q) = %q does not round-trip (%q, %v)", path, got, u, err)
		}
	})
}

func FuzzSign(f *testing.F) {
	f.Add("GET", "/v1/p/jobs/j", "name=a&x", "X-Client", "v", "")
	f.Add("POST", "/a b/%", "%zz=%", "Content-Type", "text/plain", "body")
	f.Add("", "", "", "X_under", " spaced ", "\xff")
	f.Fuzz(func(t *testing.T, method, path, rawQuery, hName, hValue, body string) {
		r := &http.Request{Method: method, URL: &url.URL{Scheme: "https", Host: "h", Path: path, RawQuery: rawQuery}, Header: http.Header{}}
		r.Header[hName] = []string{hValue}
		s := Signer{AccessKey: "AK", SecretKey: "SK", SecurityToken: "T"}
		if err := s.Sign(r, []byte(body), time.Unix(0, 0)); err != nil {
			t.Fatalf("Sign: %v", err)
		}
		if !strings.HasPrefix(r.Header.Get("Authorization"), SigningAlgorithm+" Access=AK, SignedHeaders=") {
			t.Fatalf("Authorization = %q", r.Header.Get("Authorization"))
		}
	})
}
