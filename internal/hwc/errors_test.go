package hwc

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNewAPIErrorShapes(t *testing.T) {
	withID := http.Header{"X-Request-Id": {"hdr-id"}}
	tests := []struct {
		name                 string
		status               int
		header               http.Header
		body                 string
		code, message, reqID string
	}{
		{"api gateway", 401, withID,
			`{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIGW.0301","request_id":"body-id"}`,
			"APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail", "body-id"},
		{"ecs top level", 404, withID, `{"code":"Ecs.0114","message":"Job not found"}`, "Ecs.0114", "Job not found", "hdr-id"},
		{"ecs nested", 400, nil, `{"error":{"code":"Ecs.0005","message":"invalid job_id"}}`, "Ecs.0005", "invalid job_id", ""},
		{"sdrs nested", 404, withID, `{"error":{"code":"SDRS.1500","message":"job not exist"}}`, "SDRS.1500", "job not exist", "hdr-id"},
		{"sfs turbo", 404, withID, `{"errCode":"SFS.TURBO.0001","errMsg":"parameter error"}`, "SFS.TURBO.0001", "parameter error", "hdr-id"},
		{"cce", 400, withID, `{"errorMessage":"The format of message is error","errorCode":"CCE.01400001"}`, "CCE.01400001", "The format of message is error", "hdr-id"},
		{"numeric code", 404, nil, `{"code":404,"message":"not here"}`, "404", "not here", ""},
		{"openstack fault", 404, nil, `{"itemNotFound":{"code":404,"message":"Instance could not be found"}}`, "itemNotFound", "Instance could not be found", ""},
		{"error as string", 500, nil, `{"error":"boom"}`, "", "boom", ""},
		{"html", 502, withID, "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
			"", "502 Bad Gateway 502 Bad Gateway", "hdr-id"},
		{"empty", 503, nil, "", "", "Service Unavailable", ""},
		{"truncated json", 500, nil, `{"error_code":"APIGW.01`, "", `{"error_code":"APIGW.01`, ""},
		{"unknown json object", 500, nil, `{"foo":"bar","baz":1}`, "", `{"foo":"bar","baz":1}`, ""},
		{"json array", 500, nil, `[1,2]`, "", `[1,2]`, ""},
		{"non utf8 and control chars", 500, nil, "bad\xff\x00\x1b[31mred\r\n\tnext", "", "bad\uFFFD [31mred next", ""},
		{"unknown status no body", 599, nil, "", "", "", ""},
		{"newline in message", 400, nil, `{"error_code":"X.1","error_msg":"line1\nline2\u0007"}`, "X.1", "line1 line2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAPIError("GET", "/v1/p/jobs/j", tt.status, tt.header, []byte(tt.body))
			if e.Status != tt.status || e.Code != tt.code || e.Message != tt.message || e.RequestID != tt.reqID {
				t.Errorf("got status %d code %q message %q request id %q\nwant status %d code %q message %q request id %q",
					e.Status, e.Code, e.Message, e.RequestID, tt.status, tt.code, tt.message, tt.reqID)
			}
		})
	}
}

func TestNewAPIErrorLongBodyIsExcerpted(t *testing.T) {
	body := strings.Repeat("ü", 1000)
	e := newAPIError("GET", "/p", 500, nil, []byte(body))
	if len(e.Message) > maxExcerpt || !utf8.ValidString(e.Message) || !strings.HasSuffix(e.Message, "…") {
		t.Errorf("message of %d bytes, valid UTF-8 %v: %q", len(e.Message), utf8.ValidString(e.Message), e.Message)
	}
	e = newAPIError("GET", "/p", 400, nil, []byte(`{"error_code":"C","error_msg":"`+strings.Repeat("x", 5000)+`"}`))
	if len(e.Message) > maxExcerpt {
		t.Errorf("decoded message of %d bytes", len(e.Message))
	}
}

func TestAPIErrorText(t *testing.T) {
	for _, tt := range []struct {
		err  APIError
		want string
	}{
		{APIError{Method: "GET", Path: "/ecs/v1/p/jobs/j", Status: 404, Code: "Ecs.0114", Message: "Job not found", RequestID: "abc"},
			"GET /ecs/v1/p/jobs/j: HTTP 404 Ecs.0114: Job not found (request id abc)"},
		{APIError{Method: "GET", Path: "/p", Status: 503, Message: "Service Unavailable"}, "GET /p: HTTP 503: Service Unavailable"},
		{APIError{Method: "GET", Path: "/p", Status: 400, Code: "X.1"}, "GET /p: HTTP 400 X.1"},
		{APIError{Status: 599}, "HTTP 599"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestIsNotFound(t *testing.T) {
	notFound := &APIError{Status: 404, Message: "parameter error"}
	for err, want := range map[error]bool{
		notFound:                                true,
		fmt.Errorf("reading job: %w", notFound): true,
		&APIError{Status: 400}:                  false,
		&APIError{Status: 410}:                  false,
		errors.New("HTTP 404"):                  false,
		nil:                                     false,
	} {
		if got := IsNotFound(err); got != want {
			t.Errorf("IsNotFound(%v) = %v, want %v", err, got, want)
		}
	}
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{
		"", "{}", "null", `{"error":null}`, `{"error":{"code":1.5e300,"message":["x"]}}`,
		`{"error_code":"APIGW.0301","error_msg":"x","request_id":"r"}`, `{"errCode":"a","errMsg":"b"}`,
		"<html>", "\xff\xfe\x00", `{"a":{"message":"m"}}`,
	} {
		f.Add(500, s, "hdr-id")
	}
	f.Fuzz(func(t *testing.T, status int, body, requestID string) {
		e := newAPIError("GET", "/p", status, http.Header{"X-Request-Id": {requestID}}, []byte(body))
		for _, s := range []string{e.Code, e.Message, e.RequestID} {
			if len(s) > maxExcerpt || !utf8.ValidString(s) {
				t.Fatalf("field %q: %d bytes, valid UTF-8 %v", s, len(s), utf8.ValidString(s))
			}
			for _, r := range s {
				if unicode.IsControl(r) {
					t.Fatalf("field %q holds control character %U", s, r)
				}
			}
		}
		_ = e.Error()
	})
}
