package emulator

import (
	"os"
	"strings"
	"testing"
)

// README.md documents every admin route with an example, and every job
// spec field.
func TestREADMEDocumentsEveryAdminRoute(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, r := range AdminRoutes() {
		if !strings.Contains(doc, "### `"+r.Method+" "+r.Path+"`") {
			t.Errorf("README.md has no section for %s %s", r.Method, r.Path)
		}
	}
	for _, field := range []string{"service", "job_id", "job_type", "timeline", "error_code", "fail_reason", "sub_jobs", "not_found_reads"} {
		if !strings.Contains(doc, "`"+field+"`") {
			t.Errorf("README.md does not describe the job spec field %s", field)
		}
	}
}
