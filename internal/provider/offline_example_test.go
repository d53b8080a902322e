package provider

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// TestAccOfflineExample runs `terraform test` in examples/testing-offline,
// as its guide tells users to: against an emulator (in process, in
// per-service mode, with the example's jobs.json) that the HW_* variables
// point at, with this tree's provider through dev_overrides. `terraform
// test` exists from Terraform 1.6.
func TestAccOfflineExample(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 and TF_ACC_TERRAFORM_PATH to run the example's terraform test")
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the terraform (or tofu) binary")
	}
	example, err := filepath.Abs(filepath.Join("..", "..", "examples", "testing-offline"))
	if err != nil {
		t.Fatal(err)
	}

	srv := emulator.New(emulator.Options{Services: service.All()})
	data, err := os.ReadFile(filepath.Join(example, "jobs.json"))
	if err != nil {
		t.Fatal(err)
	}
	specs, _, err := emulator.ParseJobSpecs(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range specs {
		if _, err := srv.CreateJob(spec); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	endpoints, done, err := srv.ListenPerService(ctx, "127.0.0.1", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})

	work := t.TempDir()
	copyTree(t, example, work)
	cliConfig := filepath.Join(t.TempDir(), "cli.tfrc")
	writeExampleFile(t, cliConfig, devOverrides(providerBinary(t)))
	env := []string{
		"TF_CLI_CONFIG_FILE=" + cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"HW_REGION_NAME=" + emulator.DefaultRegion,
		"HW_ACCESS_KEY=" + emulator.DemoAccessKey, "HW_SECRET_KEY=" + emulator.DemoSecretKey,
	}
	for _, e := range endpoints {
		name := "HW_IAM_ENDPOINT"
		for _, svc := range srv.Services() {
			if svc.Name == e.Name {
				name = svc.EnvVar()
			}
		}
		env = append(env, name+"="+e.URL)
	}
	for _, kv := range os.Environ() { // nothing of the caller's cloud
		if !strings.HasPrefix(kv, "HW_") && !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") {
			env = append(env, kv)
		}
	}

	if v := cliVersion(t, terraform); v != "" && olderThan16(v) {
		t.Skipf("terraform test needs Terraform 1.6 or newer; %s is %s", terraform, v)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel2()
	cmd := exec.CommandContext(ctx2, terraform, "test", "-no-color")
	cmd.Dir, cmd.Env = work, env
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "0 failed") {
		t.Fatalf("terraform test in %s: %v\n%s", example, err, out)
	}
	t.Logf("terraform test:\n%s", out)
	if reads := srv.Counters().JobReads("ecs", "offline-attach-nic"); reads == 0 {
		t.Error("the example never read its ECS job from the emulator")
	}
}

// copyTree copies the files of dir (recursively, without .terraform) into work.
func copyTree(t *testing.T, dir, work string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(work, rel), 0o750)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(work, rel), data, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// cliVersion is the CLI's version ("1.11.4"), "" when it does not say.
func cliVersion(t *testing.T, cli string) string {
	t.Helper()
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		return ""
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	_ = json.Unmarshal(out, &v)
	return v.Version
}

// olderThan16 reports whether version v is before 1.6.
func olderThan16(v string) bool {
	var major, minor int
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	for i, p := range parts[:2] {
		n := 0
		for _, c := range p {
			if c < '0' || c > '9' {
				break
			}
			n = n*10 + int(c-'0')
		}
		if i == 0 {
			major = n
		} else {
			minor = n
		}
	}
	return major < 1 || (major == 1 && minor < 6)
}
