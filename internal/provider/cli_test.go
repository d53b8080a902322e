package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// Some tests need what the acceptance framework cannot do: run
// `terraform apply -parallelism=50`, or interrupt Terraform with SIGINT.
// They run the real CLI on a provider binary built once per test process,
// found through a dev_overrides CLI config, as `make demo` does.

var (
	providerBinOnce sync.Once
	providerBinDir  string
	providerBinErr  error
)

// providerBinary builds the provider once and returns its directory.
func providerBinary(t *testing.T) string {
	t.Helper()
	providerBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hwcjobs-provider-") //nolint:usetesting // built once for every test of the process; TestMain removes it
		if err != nil {
			providerBinErr = err
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-hwcjobs"), "../..").CombinedOutput()
		if err != nil {
			providerBinErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
		providerBinDir = dir
	})
	if providerBinErr != nil {
		t.Fatal(providerBinErr)
	}
	return providerBinDir
}

// TestMain removes the provider binary built for CLI tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if providerBinDir != "" {
		_ = os.RemoveAll(providerBinDir)
	}
	os.Exit(code)
}

// devOverrides is a CLI config that loads the provider from dir, with no
// terraform init. Terraform resolves "hwcjobs/hwcjobs" on
// registry.terraform.io, OpenTofu on registry.opentofu.org: it overrides
// both.
func devOverrides(dir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/hwcjobs/hwcjobs"   = %[1]q
    "registry.opentofu.org/hwcjobs/hwcjobs" = %[1]q
  }
  direct {}
}
`, dir)
}

// tfWorkdir is a Terraform working directory whose provider is the local
// build and whose HW_* variables point at an emulator.
type tfWorkdir struct {
	t   *testing.T
	dir string
	env []string
}

// newTFWorkdir skips unless TF_ACC is set, like the acceptance tests.
func newTFWorkdir(t *testing.T, e *accEnv, config string) *tfWorkdir {
	t.Helper()
	if os.Getenv("TF_ACC") == "" || os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Skip("TF_ACC and TF_ACC_TERRAFORM_PATH must be set (make test sets them)")
	}
	dir := t.TempDir()
	cli := devOverrides(providerBinary(t))
	header := "terraform {\n  required_providers {\n    hwcjobs = { source = \"hwcjobs/hwcjobs\" }\n  }\n}\n\n"
	for name, body := range map[string]string{"cli.tfrc": cli, "main.tf": header + config} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, "cli.tfrc"), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"HW_REGION_NAME="+emulator.DefaultRegion, "HW_PROJECT_ID="+emulator.DefaultProjectID,
		"HW_ACCESS_KEY="+emulator.DemoAccessKey, "HW_SECRET_KEY="+emulator.DemoSecretKey,
		"HW_IAM_ENDPOINT="+e.url+"/iam",
	)
	for _, svc := range service.All() {
		env = append(env, svc.EnvVar()+"="+e.url+"/"+svc.Host)
	}
	return &tfWorkdir{t: t, dir: dir, env: env}
}

// command prepares a Terraform command in the working directory.
func (w *tfWorkdir) command(ctx context.Context, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.CommandContext(ctx, os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// run runs Terraform to the end and returns its output.
func (w *tfWorkdir) run(ctx context.Context, args ...string) (string, error) {
	cmd, out := w.command(ctx, args...)
	err := cmd.Run()
	return out.String(), err
}
