package provider

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"
)

// cliInfo is the name and version of the CLI the acceptance tests run.
type cliInfo struct {
	name                string // Terraform or OpenTofu
	version             string // 1.15.9
	major, minor, patch int
}

var (
	cliOnce sync.Once
	cliSeen cliInfo
	cliErr  error
)

// cliVersionLine matches the version line of `terraform version` and
// `tofu version` (OpenTofu may print a warning first); their -json output
// does not tell them apart.
var cliVersionLine = regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v(\d+)\.(\d+)\.(\d+)\S*`)

// testCLI returns the name and version of TF_ACC_TERRAFORM_PATH, read once.
func testCLI(t *testing.T) cliInfo {
	t.Helper()
	cliOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Getenv("TF_ACC_TERRAFORM_PATH"), "version")
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		if err != nil {
			cliErr = err
			return
		}
		m := cliVersionLine.FindSubmatch(out)
		if m == nil {
			cliErr = &exec.Error{Name: os.Getenv("TF_ACC_TERRAFORM_PATH"), Err: strconv.ErrSyntax}
			return
		}
		cliSeen = cliInfo{name: string(m[1]), version: string(m[2]) + "." + string(m[3]) + "." + string(m[4])}
		cliSeen.major, _ = strconv.Atoi(string(m[2]))
		cliSeen.minor, _ = strconv.Atoi(string(m[3]))
		cliSeen.patch, _ = strconv.Atoi(string(m[4]))
	})
	if cliErr != nil {
		t.Fatalf("cannot tell the version of %s: %v", os.Getenv("TF_ACC_TERRAFORM_PATH"), cliErr)
	}
	return cliSeen
}

// supportsActions reports whether the CLI runs actions: Terraform 1.14 and
// later. OpenTofu has no actions.
func (c cliInfo) supportsActions() bool {
	return c.name == "Terraform" && (c.major > 1 || c.major == 1 && c.minor >= 14)
}

// actionsSkipReason is why a test that needs actions does not run, "" when
// it can.
func actionsSkipReason(t *testing.T) string {
	t.Helper()
	if c := testCLI(t); !c.supportsActions() {
		return "actions need Terraform 1.14 or later; TF_ACC_TERRAFORM_PATH is " + c.name + " " + c.version
	}
	return ""
}

// skipUnlessActions skips a test unless it runs acceptance tests (TF_ACC
// and TF_ACC_TERRAFORM_PATH set) on a CLI with actions, naming the
// version it skips.
func skipUnlessActions(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" || os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Skip("TF_ACC and TF_ACC_TERRAFORM_PATH must be set (make test sets them)")
	}
	if why := actionsSkipReason(t); why != "" {
		t.Skip(why)
	}
}
