package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// TestAccInstall is what a user does outside the repository: `make install`
// (with HOME in a temp dir), then, in a directory outside the repository,
// `init` and `plan` of a configuration that starts with the README's
// required_providers block, with Terraform and, when one is available
// (TF_ACC_TOFU_PATH, or tofu on PATH), OpenTofu. No CLI configuration, no
// plugin cache, and a proxy that refuses every connection: init finds the
// provider in the implicit local mirror or fails. With no OpenTofu, its
// subtest is skipped with a message that says so (go test -v shows it).
func TestAccInstall(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 and TF_ACC_TERRAFORM_PATH to test make install with the Terraform CLI")
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the terraform binary")
	}
	makeBin, err := exec.LookPath("make")
	if err != nil {
		t.Skip("SKIPPED: no make on PATH, so make install cannot be tested")
	}
	if runtime.GOOS == "windows" {
		t.Skip("SKIPPED: make install is tested on Unix-like systems only")
	}
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	block := readmeRequiredProviders(t, filepath.Join(root, "README.md"))

	home := t.TempDir()
	base := installEnv(t, home)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, makeBin, "--no-print-directory", "-C", root, "install")
	cmd.Env = base
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	version := regexp.MustCompile(`installed hwcjobs/hwcjobs (\d+\.\d+\.\d+) for registry\.terraform\.io`).FindSubmatch(out)
	if version == nil {
		t.Fatalf("make install did not say what it installed:\n%s", out)
	}
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		exe := filepath.Join(home, ".terraform.d", "plugins", host, "hwcjobs", "hwcjobs", string(version[1]),
			runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-hwcjobs_v"+string(version[1]))
		if fi, err := os.Stat(exe); err != nil || fi.Mode()&0o111 == 0 {
			t.Fatalf("make install left no executable %s (%v):\n%s", exe, err, out)
		}
	}

	e := newAccEnv(t, emulator.Options{})
	jobID := fixedJob(service.ECS, "SUCCESS")
	config := block + fmt.Sprintf(`
provider "hwcjobs" {}

data "hwcjobs_ecs_job" "done" {
  job_id = %[1]q
}

resource "hwcjobs_ecs_job_wait" "done" {
  job_id = %[1]q
}

resource "terraform_data" "after" {
  input = hwcjobs_ecs_job_wait.done.end_time
}

output "status" {
  value = data.hwcjobs_ecs_job.done.status
}
`, jobID)
	env := append(base,
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_PLUGIN_CACHE_DIR=",
		// Any registry request fails at once; the emulator, on 127.0.0.1,
		// is never proxied.
		"HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9",
		"HW_REGION_NAME="+emulator.DefaultRegion, "HW_PROJECT_ID="+emulator.DefaultProjectID,
		"HW_ACCESS_KEY="+emulator.DemoAccessKey, "HW_SECRET_KEY="+emulator.DemoSecretKey,
		"HW_ECS_ENDPOINT="+e.url+"/ecs", "HW_ELB_ENDPOINT="+e.url+"/elb", "HW_SDRS_ENDPOINT="+e.url+"/sdrs",
		"HW_SFS_TURBO_ENDPOINT="+e.url+"/sfs-turbo", "HW_IAM_ENDPOINT="+e.url+"/iam",
	)

	// OpenTofu: TF_ACC_TOFU_PATH, else tofu on PATH, else the one the
	// makefile built into bin/ for its OpenTofu tests.
	clis := []struct{ name, path string }{{"terraform", terraform}, {"tofu", os.Getenv("TF_ACC_TOFU_PATH")}}
	if clis[1].path == "" {
		clis[1].path, _ = exec.LookPath("tofu")
	}
	if built := filepath.Join(root, "bin", "tofu"); clis[1].path == "" {
		if fi, err := os.Stat(built); err == nil && fi.Mode()&0o111 != 0 {
			clis[1].path = built
		}
	}
	for _, cli := range clis {
		t.Run(cli.name, func(t *testing.T) {
			if cli.path == "" {
				t.Skip("SKIPPED: no OpenTofu CLI (set TF_ACC_TOFU_PATH, put tofu on PATH, or run make testtofu once to build bin/tofu): make install is not tested with OpenTofu")
			}
			dir := t.TempDir()
			if rel, err := filepath.Rel(root, dir); err == nil && !strings.HasPrefix(rel, "..") {
				t.Fatalf("the working directory %s is inside the repository", dir)
			}
			writeExampleFile(t, filepath.Join(dir, "main.tf"), config)
			run := func(args ...string) string {
				t.Helper()
				cmd := exec.CommandContext(ctx, cli.path, args...)
				cmd.Dir, cmd.Env = dir, env
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("%s %s: %v\n%s", cli.name, strings.Join(args, " "), err, out)
				}
				return string(out)
			}
			out := run("init", "-input=false", "-no-color")
			if want := "Installed hwcjobs/hwcjobs v" + string(version[1]) + " (unauthenticated)"; !strings.Contains(out, want) {
				t.Errorf("init does not say %q:\n%s", want, out)
			}
			reads := e.emu.Counters().JobReads("ecs", jobID)
			out = run("plan", "-input=false", "-no-color")
			for _, want := range []string{
				`status = "SUCCESS"`,
				`hwcjobs_ecs_job_wait.done will be created`,
				`region = "` + emulator.DefaultRegion + `"`,
				`project_id = "` + emulator.DefaultProjectID + `"`,
				`Plan: 2 to add`,
			} {
				if !regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(want), " ", `\s+`)).MatchString(out) {
					t.Errorf("the plan lacks %q:\n%s", want, out)
				}
			}
			if e.emu.Counters().JobReads("ecs", jobID) <= reads {
				t.Errorf("the plan did not read the job from the emulator")
			}
		})
	}
}

// readmeRequiredProviders returns the first hcl block of the README's
// section "Use it in your own configuration": the one the README tells
// users to copy.
func readmeRequiredProviders(t *testing.T, readme string) string {
	t.Helper()
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Use it in your own configuration\n")
	if !ok {
		t.Fatalf("%s has no section \"Use it in your own configuration\"", readme)
	}
	_, rest, ok := strings.Cut(section, "```hcl\n")
	block, _, closed := strings.Cut(rest, "```\n")
	if !ok || !closed || !strings.Contains(block, "required_providers") {
		t.Fatalf("the README's section \"Use it in your own configuration\" has no hcl block with required_providers")
	}
	return block
}

// installEnv is the environment of make install and of the CLIs: this
// process's, with HOME in a temp dir and no Terraform, OpenTofu, XDG,
// make, proxy or HW_* settings (the build needs no network: the test's own
// build has fetched every module). Go's caches keep their real places (their
// defaults are under HOME), so the build reuses what is built already.
func installEnv(t *testing.T, home string) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "-json", "GOCACHE", "GOMODCACHE", "GOPATH", "GOENV").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	var goenv map[string]string
	if err := json.Unmarshal(out, &goenv); err != nil {
		t.Fatalf("go env: %v: %s", err, out)
	}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "HOME", name == "MAKEFLAGS", name == "MAKELEVEL", name == "MFLAGS",
			strings.HasPrefix(name, "TF_"), strings.HasPrefix(name, "XDG_"), strings.HasPrefix(name, "HW_"),
			strings.HasSuffix(strings.ToUpper(name), "_PROXY"): // the CLIs get a proxy of their own below
			continue
		}
		if _, ok := goenv[name]; ok {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "HOME="+home)
	for k, v := range goenv {
		env = append(env, k+"="+v)
	}
	return env
}
