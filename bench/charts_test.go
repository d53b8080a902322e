package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/bench/chart"
)

// node is an SVG element, parsed generically with encoding/xml.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []node     `xml:",any"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// walk calls fn on n and every element below it.
func (n node) walk(fn func(node)) {
	fn(n)
	for _, c := range n.Children {
		c.walk(fn)
	}
}

// find returns the elements below n, n included, for which ok holds.
func (n node) find(ok func(node) bool) []node {
	var out []node
	n.walk(func(x node) {
		if ok(x) {
			out = append(out, x)
		}
	})
	return out
}

func (n node) text() string {
	var b strings.Builder
	n.walk(func(x node) { b.WriteString(x.Text) })
	return strings.TrimSpace(b.String())
}

func byClass(class string) func(node) bool {
	return func(n node) bool { return n.attr("class") == class }
}

// checkFigure draws f, parses the SVG and checks that it holds every
// series with one point per data point, a legend entry per series name,
// the axis labels, the panel titles and the caption.
func checkFigure(t *testing.T, f chart.Figure) {
	t.Helper()
	svg, err := f.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("BENCH_CHART_DIR"); dir != "" { // to look at the made-up charts
		if err := os.WriteFile(filepath.Join(dir, t.Name()+".svg"), svg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var root node
	dec := xml.NewDecoder(bytes.NewReader(svg))
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("the SVG does not parse: %v\n%s", err, svg)
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if cd, ok := tok.(xml.CharData); err != nil || !ok || strings.TrimSpace(string(cd)) != "" {
			t.Fatalf("after the root element: %#v, %v", tok, err)
		}
	}
	if root.XMLName.Local != "svg" || root.XMLName.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root element %v", root.XMLName)
	}

	panels := root.find(byClass("panel"))
	if len(panels) != len(f.Panels) {
		t.Fatalf("%d panels drawn, want %d", len(panels), len(f.Panels))
	}
	names := map[string]bool{}
	for i, p := range f.Panels {
		got := panels[i]
		if got.attr("data-title") != p.Title {
			t.Errorf("panel %d is %q, want %q", i, got.attr("data-title"), p.Title)
		}
		for _, want := range []struct {
			class string
			axis  chart.Axis
		}{{"x-label", p.X}, {"y-label", p.Y}} {
			labels := got.find(byClass(want.class))
			if len(labels) != 1 || !strings.HasPrefix(labels[0].text(), want.axis.Label) || want.axis.Label == "" {
				t.Errorf("panel %q: %s is %v, want %q", p.Title, want.class, labels, want.axis.Label)
			}
			if want.axis.Log && !strings.Contains(labels[0].text(), "log scale") {
				t.Errorf("panel %q: the log %s does not say so: %q", p.Title, want.class, labels[0].text())
			}
		}
		if ticks := got.find(byClass("tick-labels")); len(ticks) != 1 || len(ticks[0].Children) < 4 {
			t.Errorf("panel %q: fewer than 4 tick labels", p.Title)
		}
		series := got.find(byClass("series"))
		if len(series) != len(p.Series) {
			t.Fatalf("panel %q: %d series drawn, want %d", p.Title, len(series), len(p.Series))
		}
		for j, s := range p.Series {
			g := series[j]
			names[s.Name] = true
			if g.attr("data-series") != s.Name {
				t.Errorf("panel %q: series %d is %q, want %q", p.Title, j, g.attr("data-series"), s.Name)
			}
			lines := g.find(func(n node) bool { return n.XMLName.Local == "polyline" })
			circles := g.find(func(n node) bool { return n.XMLName.Local == "circle" })
			wantLines, wantCircles := 1, len(s.Points)
			switch s.Style {
			case chart.Scatter:
				wantLines = 0
			case chart.Dashed:
				wantCircles = 0
			}
			if len(lines) != wantLines || len(circles) != wantCircles {
				t.Errorf("series %q: %d polylines and %d circles, want %d and %d", s.Name, len(lines), len(circles), wantLines, wantCircles)
			}
			if wantLines == 1 {
				if pts := strings.Fields(lines[0].attr("points")); len(pts) != len(s.Points) {
					t.Errorf("series %q: a polyline of %d points, want %d", s.Name, len(pts), len(s.Points))
				}
			}
			for _, c := range circles {
				if c.attr("cx") == "NaN" || c.attr("cy") == "NaN" {
					t.Errorf("series %q: a marker at NaN", s.Name)
				}
			}
		}
	}

	legend := root.find(byClass("legend-entry"))
	if len(legend) != len(names) {
		t.Errorf("%d legend entries, want %d", len(legend), len(names))
	}
	for _, e := range legend {
		if !names[e.attr("data-series")] || e.text() != e.attr("data-series") {
			t.Errorf("legend entry %q reads %q", e.attr("data-series"), e.text())
		}
	}
	captions := root.find(byClass("caption"))
	if f.Caption == "" || len(captions) != 1 || captions[0].text() != f.Caption {
		t.Errorf("caption %v, want %q", captions, f.Caption)
	}
	if strings.Contains(string(svg), "NaN") || strings.Contains(string(svg), "Inf") {
		t.Errorf("NaN or Inf in the SVG")
	}
}

func TestScheduleChart(t *testing.T) {
	durs := []time.Duration{2 * time.Second, 10 * time.Second, 50 * time.Second, 300 * time.Second}
	mk := func(reads []int, lags ...time.Duration) []simResult {
		rs := make([]simResult, len(durs))
		for i := range durs {
			rs[i] = simResult{duration: durs[i], reads: reads[i], lag: lags[i]}
		}
		return rs
	}
	f := scheduleChart(scheduleData{
		durations:  durs,
		ours:       mk([]int{3, 9, 20, 50}, 200*time.Millisecond, 400*time.Millisecond, 0, 20*time.Second),
		worstLag:   []time.Duration{time.Second, time.Second, 5 * time.Second, 30 * time.Second},
		seeds:      7,
		fixed5:     mk([]int{1, 2, 10, 60}, 3*time.Second, 0, 0, 5*time.Second),
		fixed10:    mk([]int{1, 1, 5, 30}, 8*time.Second, 0, 0, 10*time.Second),
		worstReads: 85, fixed5Reads: 73, shortestLongerJob: time.Minute,
	})
	checkFigure(t, f)
	if !strings.Contains(f.Caption, "within 5.00 s") || !strings.Contains(f.Caption, "up to 8.00 s") || !strings.Contains(f.Caption, "stay under") {
		t.Errorf("caption %q", f.Caption)
	}
}

func TestPlanChart(t *testing.T) {
	sizes := []int{1, 10, 100, 1000}
	d := planData{sizes: sizes, kinds: planKinds, median: map[string][]time.Duration{}, runs: 3, target: 1.25, targetSize: 100}
	for i, k := range planKinds {
		for _, n := range sizes {
			d.median[k] = append(d.median[k], time.Duration(n*(3-i)+40)*time.Millisecond)
		}
	}
	f := planChart(d)
	checkFigure(t, f)
	if len(f.Panels[1].Series) != len(planKinds) { // the ratios but the reference's, and the target
		t.Errorf("ratio panel: %d series", len(f.Panels[1].Series))
	}
	if !strings.Contains(f.Caption, "at most 1.49×") || !strings.Contains(f.Caption, "(at 1000;") {
		t.Errorf("caption %q", f.Caption)
	}
}

func TestFleetChart(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }
	var answers, throttled []time.Time
	for i := range 120 {
		answers = append(answers, at(500+i*70))
	}
	throttled = append(throttled, answers[3], answers[4])
	jobs := []fleetJob{
		{end: at(100), detected: at(1500)},
		{end: at(3000), detected: at(3500), readFirst: true},
		{end: at(7000), detected: at(8900), readFirst: true},
	}
	f := fleetChart(fleetData{start: start, answers: answers, throttled: throttled, limit: 20, clientLimit: 15, jobs: jobs, target: 10 * time.Second})
	checkFigure(t, f)
	// 120 answers 70 ms apart from 0.5 s: the last in second 8, so 9 bins.
	if n := len(f.Panels[0].Series[0].Points); n != 9 {
		t.Errorf("%d bins, want 9", n)
	}
	total := 0.0
	for _, p := range f.Panels[0].Series[0].Points {
		total += p.Y
	}
	if total != 120 {
		t.Errorf("%g requests in the bins, want 120", total)
	}
	for _, want := range []string{"peak at 15 ", "(2 429s)", "1.90 s of their end", "1.40 s for the 1 "} {
		if !strings.Contains(f.Caption, want) {
			t.Errorf("caption %q lacks %q", f.Caption, want)
		}
	}
}

// TestFigureEscapes checks that names with XML's special characters still
// make a well-formed SVG.
func TestFigureEscapes(t *testing.T) {
	f := chart.Figure{
		Title:   `a <b> & "c"`,
		Caption: "x < y & z",
		Panels: []chart.Panel{{
			Title: "p & q", X: chart.Axis{Label: "x (<s>)"}, Y: chart.Axis{Label: "y & z", Log: true},
			Series: []chart.Series{{Name: `s "1" <&>`, Points: []chart.Point{{X: -1, Y: 0.02}, {X: 3, Y: 0}, {X: 7, Y: 400}}}},
		}},
	}
	checkFigure(t, f)
}
