package main

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"
)

// row is one figure of the summary table.
type row struct {
	measure, figure, value, target string
	met                            *bool // nil: reported, no target
}

type report struct {
	rows     []row
	sections []string
}

func (r *report) add(measure, figure, value, target string, met *bool) {
	r.rows = append(r.rows, row{measure, figure, value, target, met})
}

// section adds a detail section below the summary.
func (r *report) section(title, body string) {
	r.sections = append(r.sections, "## "+title+"\n\n"+strings.TrimSpace(body)+"\n")
}

func ptr(b bool) *bool { return &b }

func (r *report) markdown(env *benchEnv, wall time.Duration) string {
	var b strings.Builder
	b.WriteString("# Benchmarks\n\n")
	fmt.Fprintf(&b, "Written by `make bench` (`go run ./bench`, %s) on %d CPUs, %s, %s, %s/%s.\n",
		wall.Round(time.Second), runtime.NumCPU(), runtime.Version(), env.tfVersion, runtime.GOOS, runtime.GOARCH)
	b.WriteString("One run on a shared, noisy machine: compare the ratios taken in the same run rather than absolute times. ")
	b.WriteString("Nothing here fails a build; a target not met is marked `not met`.\n\n")
	b.WriteString("| # | figure | value | target | |\n|---|---|---|---|---|\n")
	for _, x := range r.rows {
		verdict := "—"
		if x.met != nil {
			verdict = map[bool]string{true: "met", false: "**not met**"}[*x.met]
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", x.measure, x.figure, x.value, x.target, verdict)
	}
	for _, s := range r.sections {
		b.WriteString("\n" + s)
	}
	return b.String()
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
