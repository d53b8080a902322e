// Command bench measures what users of the provider feel, beside the
// alternatives, in one run: `make bench` (cd bench && go run .) prints the
// report and writes bench/REPORT.md with its charts (schedule.svg, plan.svg,
// fleet.svg) beside it. It reports figures against their targets and never
// fails because of one: these machines are noisy, so the figures that
// matter are ratios taken in the same run.
//
// bench is a Go module of its own (go.mod here, the provider replaced by
// ../), so that its dependencies stay out of the provider's go.mod.
//
// Measures, one file each: schedule.go (1, poller on a simulated clock),
// plan.go (2, plan cost), fleet.go (3, many waits against a rate-limited
// emulator), footprint.go (4, binary size, peak RSS, schema time),
// hotpath.go (5, Go benchmarks), credentials.go (6, credential fetches
// over a simulated long wait per source, and the plan cost of
// assume_role), planall.go (7, the plan of 200 data sources spread over
// every service), action.go (8, the wait action beside the wait resource:
// reads, detection lag, progress lines); `-only 6` runs one measure,
// `-only 78` the last two; charts.go draws their charts with the chart
// package. report.go renders the report; terraform.go runs the
// Terraform CLI; internal.go is the only file that uses the provider's
// internal/jobs and internal/emulator.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	if runWrapped() { // footprint.go: the bench binary standing in for a provider, to read its peak RSS
		return
	}
	out := flag.String("out", "bench/REPORT.md", "report file, relative to the repository root")
	runs := flag.Int("runs", 5, "interleaved runs of each plan")
	only := flag.String("only", "12345678", "the measures to run, by number (e.g. -only 6)")
	flag.Parse()
	if err := run(*out, *runs, *only); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(out string, runs int, only string) error {
	start := time.Now()
	env, err := setup()
	if err != nil {
		return err
	}
	defer os.RemoveAll(env.work)

	r := &report{}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"1 schedule", func() error { return measureSchedule(r) }},
		{"2 plan cost", func() error { return measurePlans(env, r, runs) }},
		{"3 fleet", func() error { return measureFleet(env, r) }},
		{"4 footprint", func() error { return measureFootprint(env, r) }},
		{"5 hot path", func() error { return measureHotPath(env, r) }},
		{"6 credentials", func() error { return measureCredentials(env, r, runs) }},
		{"7 plan over every service", func() error { return measurePlanAll(env, r, runs) }},
		{"8 action", func() error { return measureAction(env, r) }},
	}
	for _, s := range steps {
		if !strings.Contains(only, s.name[:1]) {
			continue
		}
		t := time.Now()
		logf("measure %s ...", s.name)
		if err := s.fn(); err != nil {
			// A broken measure is reported, and the others still run.
			r.add(s.name[:1], s.name[2:], "error: "+err.Error(), "runs", ptr(false))
			logf("measure %s failed: %v", s.name, err)
		}
		logf("measure %s done in %s", s.name, time.Since(t).Round(100*time.Millisecond))
	}
	text := r.markdown(env, time.Since(start))
	fmt.Print(text)
	if !filepath.IsAbs(out) {
		out = filepath.Join(env.root, out)
	}
	if err := r.writeCharts(filepath.Dir(out)); err != nil {
		return err
	}
	return os.WriteFile(out, []byte(text), 0o644)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
