package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestRepositoryStandsAlone fails when a file of the repository reads or
// names something outside it: a clone with nothing beside it must build,
// test and read the same. The workplace's CI script is the one exception.
func TestRepositoryStandsAlone(t *testing.T) {
	// Written in pieces so that this file does not match itself.
	outside := regexp.MustCompile(`\.\./` + `shared|(PRODUCT|SIGNING|STYLE)` + `\.md|(?i:\bissues? #?[0-9]+)`)
	skipDirs := map[string]bool{".git": true, "bin": true, "dist": true, ".terraform": true}
	found := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if path == filepath.Join(".ci", "run") || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range bytes.Split(data, []byte("\n")) {
			if m := outside.Find(line); m != nil {
				t.Errorf("%s:%d names %q, outside the repository", path, i+1, m)
			}
		}
		found++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Fatalf("walked only %d files: is the test running at the repository root?", found)
	}
}
