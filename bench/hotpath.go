package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
)

// hotPathPackages hold the Go benchmarks of measure 5: signing
// (hwc.BenchmarkSign), decoding each seed job (jobs.BenchmarkDecode) and
// mapping it to the Terraform model (provider.BenchmarkJobValues).
var hotPathPackages = []string{"./internal/hwc", "./internal/jobs", "./internal/provider"}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op\s+(\d+) B/op\s+(\d+) allocs/op`)

func measureHotPath(env *benchEnv, r *report) error {
	args := append([]string{"test", "-count=1", "-run", "^$", "-bench", ".", "-benchmem"}, hotPathPackages...)
	cmd := exec.Command("go", args...)
	cmd.Dir = env.root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "`go %s`, parsed. Every job read signs one request, decodes one body and maps it to the model.\n\n", strings.Join(args, " "))
	b.WriteString("| benchmark | ns/op | B/op | allocs/op |\n|---|---|---|---|\n")
	n := 0
	for _, line := range strings.Split(string(out), "\n") {
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n++
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", m[1], m[2], m[3], m[4])
		r.add("5", m[1], fmt.Sprintf("%s ns/op, %s allocs/op", m[2], m[4]), "—", nil)
	}
	if n == 0 {
		return fmt.Errorf("no benchmark result in:\n%s", out)
	}
	r.section("5. Hot path", b.String())
	return nil
}
