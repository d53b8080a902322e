package provider

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestAccExamples validates every example configuration under examples/
// (the ones the docs show, and the demo) with the Terraform CLI against
// this tree's provider, built into a temp dir and loaded through
// dev_overrides as `make demo` does, and checks that they are formatted.
// Like the acceptance tests it needs TF_ACC and TF_ACC_TERRAFORM_PATH; it
// works with OpenTofu too. Examples with actions are validated only by
// Terraform 1.14 and later, and skipped, naming the CLI's version, on
// others; every CLI checks their formatting.
func TestAccExamples(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 and TF_ACC_TERRAFORM_PATH to validate the examples with the Terraform CLI")
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the terraform (or tofu) binary")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	examples := filepath.Join(root, "examples")

	cliConfig := filepath.Join(t.TempDir(), "cli.tfrc")
	writeExampleFile(t, cliConfig, devOverrides(providerBinary(t)))
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")

	t.Run("fmt", func(t *testing.T) {
		t.Parallel()
		runExampleCLI(t, env, examples, terraform, "fmt", "-check", "-recursive", "-diff", "-no-color", ".")
	})

	var dirs []string
	err = filepath.WalkDir(examples, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if tf, _ := filepath.Glob(filepath.Join(path, "*.tf")); len(tf) > 0 {
				dirs = append(dirs, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 10 {
		t.Fatalf("found %d example directories under %s, want the provider's, one per data source and resource, and the guide's", len(dirs), examples)
	}
	noActions := actionsSkipReason(t)
	for _, dir := range dirs {
		rel, _ := filepath.Rel(examples, dir)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			if noActions != "" && usesActions(t, dir) {
				t.Skip(noActions)
			}
			t.Parallel()
			work := t.TempDir()
			copyExample(t, dir, work)
			runExampleCLI(t, env, work, terraform, "validate", "-no-color")
		})
	}
}

// actionSyntax matches an action block or a resource's action_trigger:
// configurations that only Terraform 1.14 and later validate.
var actionSyntax = regexp.MustCompile(`(?m)^\s*(action\s+"|action_trigger\s*\{)`)

// usesActions reports whether the example in dir declares or triggers an
// action.
func usesActions(t *testing.T, dir string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if actionSyntax.Match(data) {
			return true
		}
	}
	return false
}

// copyExample copies the .tf files of dir into work, and adds the
// required_providers block that the docs' resource and data source
// examples leave out (without it, hwcjobs_* would mean hashicorp/hwcjobs).
func copyExample(t *testing.T, dir, work string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	declared := false
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		declared = declared || bytes.Contains(data, []byte("required_providers"))
		writeExampleFile(t, filepath.Join(work, filepath.Base(f)), string(data))
	}
	if !declared {
		writeExampleFile(t, filepath.Join(work, "zz_required_providers.tf"), `terraform {
  required_providers {
    hwcjobs = {
      source = "hwcjobs/hwcjobs"
    }
  }
}
`)
	}
}

func runExampleCLI(t *testing.T, env []string, dir, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), dir, err, out)
	}
}

func writeExampleFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
