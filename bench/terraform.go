package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// timeProvider is hashicorp's time provider: a framework provider that
// makes no network call, the floor for any framework provider.
const timeProvider = "github.com/hashicorp/terraform-provider-time@v0.14.2"

// benchEnv is what every measure shares.
type benchEnv struct {
	root      string // repository root
	work      string // scratch directory, removed at the end
	tfPath    string // the Terraform CLI
	tfVersion string
	plugins   string // holds both providers, built stripped: the dev_overrides directory
}

// setup finds the repository and Terraform, and builds both providers the
// same way (go build -trimpath -ldflags "-s -w"): ours into the scratch
// directory, the time provider into bin/ with go install.
func setup() (*benchEnv, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	env := &benchEnv{root: root, tfPath: os.Getenv("TERRAFORM")}
	if env.tfPath == "" {
		out, err := exec.Command(filepath.Join(root, "scripts", "tool.sh"), "terraform").Output()
		if err != nil {
			return nil, fmt.Errorf("scripts/tool.sh terraform: %w", err)
		}
		env.tfPath = strings.TrimSpace(string(out))
	}
	if out, err := exec.Command(env.tfPath, "version").Output(); err == nil {
		env.tfVersion, _, _ = strings.Cut(string(out), "\n")
	}
	if env.work, err = os.MkdirTemp("", "hwcjobs-bench-"); err != nil {
		return nil, err
	}
	env.plugins = filepath.Join(env.work, "plugins")
	logf("building both providers stripped (go build -trimpath -ldflags \"-s -w\")")
	if err := goCmd(root, nil, "build", "-trimpath", "-ldflags", "-s -w", "-o", filepath.Join(env.plugins, "terraform-provider-hwcjobs"), "."); err != nil {
		return nil, err
	}
	bin := filepath.Join(root, "bin")
	if err := goCmd(root, []string{"GOBIN=" + bin}, "install", "-trimpath", "-ldflags", "-s -w", timeProvider); err != nil {
		return nil, err
	}
	if err := os.Symlink(filepath.Join(bin, "terraform-provider-time"), filepath.Join(env.plugins, "terraform-provider-time")); err != nil {
		return nil, err
	}
	return env, nil
}

// providerModule is the provider's module path; bench is a module of its
// own inside the provider's repository (bench/go.mod), so that its
// dependencies stay out of the provider's go.mod.
const providerModule = "github.com/hwcjobs/terraform-provider-hwcjobs"

// repoRoot is the provider's repository: the nearest directory, from the
// working directory up, whose go.mod declares providerModule. make bench
// runs from bench/, go run ./bench from the root would not build.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && modulePath(string(b)) == providerModule {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod of %s in %s or above: run make bench", providerModule, dir)
		}
	}
}

func modulePath(gomod string) string {
	for _, line := range strings.Split(gomod, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

func goCmd(dir string, extraEnv []string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), extraEnv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// cliConfig writes a Terraform CLI config whose dev_overrides point both
// providers at dir, so that neither needs terraform init.
func (e *benchEnv) cliConfig(name, dir string) (string, error) {
	path := filepath.Join(e.work, name+".tfrc")
	cfg := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/hwcjobs/hwcjobs" = %q
    "registry.terraform.io/hashicorp/time"  = %q
  }
  direct {}
}
`, dir, dir)
	return path, os.WriteFile(path, []byte(cfg), 0o644)
}

// tfEnv is the environment of a Terraform run: the caller's, without any
// HW_ or TF_ variable (so project_id stays unset and the IAM look-up
// happens), plus the CLI config, the emulator's endpoints and the demo keys.
// Another credential source for a measure goes in extra (its variables
// override the keys here).
func tfEnv(cliConfig, emulatorURL string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HW_") && !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"HW_REGION_NAME=cn-north-4",
		"HW_ACCESS_KEY=HWCJOBSDEMOACCESSKEY", "HW_SECRET_KEY=hwcjobs-demo-secret-key-do-not-use",
		"HW_IAM_ENDPOINT="+emulatorURL+"/iam",
	)
	env = append(env, endpointEnv(benchServices(), emulatorURL)...)
	return append(env, extra...)
}

// endpointEnv points every service's endpoint variable at the emulator,
// which serves each service under its host label.
func endpointEnv(services []benchService, emulatorURL string) []string {
	env := make([]string, len(services))
	for i, s := range services {
		env[i] = s.envVar + "=" + emulatorURL + "/" + s.host
	}
	return env
}

// terraform runs the CLI in dir and returns its wall time; the output is
// kept only to explain a failure.
func (e *benchEnv) terraform(ctx context.Context, dir string, env []string, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, e.tfPath, args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		tail := out.String()
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return wall, fmt.Errorf("terraform %s in %s: %w\n%s", strings.Join(args, " "), dir, err, tail)
	}
	return wall, nil
}

// outputLine is one line the CLI wrote, with when it arrived.
type outputLine struct {
	at   time.Time
	text string
}

// terraformLines runs the CLI in dir like terraform, and returns every
// line of its output (stdout and stderr) as it arrived.
func (e *benchEnv) terraformLines(ctx context.Context, dir string, env []string, args ...string) (time.Duration, []outputLine, error) {
	cmd := exec.CommandContext(ctx, e.tfPath, args...)
	cmd.Dir, cmd.Env = dir, env
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	var lines []outputLine
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			lines = append(lines, outputLine{at: time.Now(), text: sc.Text()})
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	pw.Close()
	<-done
	if err != nil {
		var tail []string
		for _, l := range lines[max(0, len(lines)-30):] {
			tail = append(tail, l.text)
		}
		return wall, lines, fmt.Errorf("terraform %s in %s: %w\n%s", strings.Join(args, " "), dir, err, strings.Join(tail, "\n"))
	}
	return wall, lines, nil
}

// writeConfig writes main.tf into a new directory under the scratch
// directory and returns the directory.
func (e *benchEnv) writeConfig(name, hcl string) (string, error) {
	dir := filepath.Join(e.work, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o644)
}
