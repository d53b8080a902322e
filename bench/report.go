package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/bench/chart"
)

// row is one figure of the summary table.
type row struct {
	measure, figure, value, target string
	met                            *bool  // nil: reported, no target
	meet                           string // what would meet the target, said in the closing note when it is not met
}

type report struct {
	rows     []row
	sections []string
	charts   []svgFile
}

// svgFile is a chart drawn, to be written beside the report.
type svgFile struct {
	name, caption string
	svg           []byte
}

// add adds a row to the summary. A row has a target ("" or "—" for none)
// exactly when met is set, so that every target row says met or not met.
func (r *report) add(measure, figure, value, target string, met *bool) {
	if target == "" {
		target = "—"
	}
	if (target == "—") != (met == nil) {
		panic(fmt.Sprintf("bench: row %q: a target needs a verdict and a verdict a target", figure))
	}
	r.rows = append(r.rows, row{measure: measure, figure: figure, value: value, target: target, met: met})
}

// meet says, for the row added last, what would meet its target; the
// closing note repeats it when the target is not met.
func (r *report) meet(text string) { r.rows[len(r.rows)-1].meet = text }

// figure draws f for the file name (e.g. "plan.svg") beside the report and
// returns the Markdown that embeds it, caption below.
func (r *report) figure(name string, f chart.Figure) string {
	svg, err := f.SVG()
	if err != nil {
		return fmt.Sprintf("(chart %s not drawn: %v)", name, err)
	}
	r.charts = append(r.charts, svgFile{name: name, caption: f.Caption, svg: svg})
	return fmt.Sprintf("![%s](%s)\n\n*%s*", f.Title, name, f.Caption)
}

// writeCharts writes the charts drawn into dir.
func (r *report) writeCharts(dir string) error {
	for _, c := range r.charts {
		if err := os.WriteFile(filepath.Join(dir, c.name), c.svg, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// section adds a detail section below the summary.
func (r *report) section(title, body string) {
	r.sections = append(r.sections, "## "+title+"\n\n"+strings.TrimSpace(body)+"\n")
}

func ptr(b bool) *bool { return &b }

func (r *report) markdown(env *benchEnv, wall time.Duration) string {
	var b strings.Builder
	b.WriteString("# Benchmarks\n\n")
	fmt.Fprintf(&b, "Written by `make bench` (`cd bench && go run .`, %s) on %d CPUs, %s, %s, %s/%s.\n",
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
	b.WriteString(r.closingNote())
	return b.String()
}

// closingNote repeats the charts' captions and, for each target not met,
// what would meet it.
func (r *report) closingNote() string {
	var b strings.Builder
	b.WriteString("\n## Closing note\n\n")
	if len(r.charts) > 0 {
		b.WriteString("What the charts show:\n\n")
		for _, c := range r.charts {
			fmt.Fprintf(&b, "- [%s](%s): %s\n", c.name, c.name, c.caption)
		}
		b.WriteString("\n")
	}
	var notMet []row
	for _, x := range r.rows {
		if x.met != nil && !*x.met {
			notMet = append(notMet, x)
		}
	}
	if len(notMet) == 0 {
		b.WriteString("Every target is met.\n")
		return b.String()
	}
	b.WriteString("Targets not met, and what would meet them:\n\n")
	for _, x := range notMet {
		meet := x.meet
		if meet == "" {
			meet = "see the measure's section above"
		}
		fmt.Fprintf(&b, "- %s. %s (%s; target %s): %s\n", x.measure, x.figure, x.value, x.target, meet)
	}
	return b.String()
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 0 { // when the plan budget leaves an even number of runs
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
