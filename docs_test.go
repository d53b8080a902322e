package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsAgree: the README, the provider page and the guide start the
// emulator with one command, and no page or example indexes a sub-job list
// ([0]) that may be null where a splat ([*]) reads it safely.
func TestDocsAgree(t *testing.T) {
	var start, startFile string
	for _, f := range []string{"README.md", "templates/index.md.tmpl", "templates/guides/waiting-for-async-operations.md.tmpl"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimPrefix(strings.TrimSpace(line), "$ ") // a console block shows a prompt
			if !strings.HasPrefix(line, "bin/hwcjobs-emulator ") || !strings.Contains(line, " -port ") {
				continue
			}
			found = true
			if start == "" {
				start, startFile = line, f
			} else if line != start {
				t.Errorf("%s starts the emulator with %q, %s with %q", f, line, startFile, start)
			}
		}
		if !found {
			t.Errorf("%s does not say how to start the emulator", f)
		}
	}

	files := []string{"README.md"}
	for _, dir := range []string{"templates", "examples"} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "sub_jobs[0]") {
			t.Errorf("%s indexes sub_jobs[0]; the list may be null: use sub_jobs[*]", f)
		}
	}
}
