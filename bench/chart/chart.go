// Package chart draws small line and scatter charts as standalone SVG, for
// the benchmark report: panels side by side, each with axes (linear or log),
// ticks, grid lines and its own series; one legend for the figure and a
// one-line caption under it. No dependency beyond the standard library.
//
// Every series is drawn as <g class="series" data-series="NAME"> holding a
// <polyline> with one point per data point (lines) and/or one <circle> per
// data point (markers), so that a test can count what was drawn.
package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Point is one data point.
type Point struct{ X, Y float64 }

// Style is how a series is drawn.
type Style int

const (
	Line    Style = iota // solid line through the points, with markers
	Scatter              // markers only
	Dashed               // dashed line, no markers: references such as limits and bounds
)

// Series is one named set of points. Series of the same name in several
// panels share a colour and one legend entry.
type Series struct {
	Name   string
	Points []Point
	Style  Style
	Color  string // CSS colour; "" takes the next one of the palette
}

// Axis is one axis of a panel.
type Axis struct {
	Label string // what and its unit, e.g. "job length (s)"
	Log   bool   // base-10 log scale; points ≤ 0 are drawn at the axis' minimum
	// The range fits the data, and Min and Max too when Max > Min (so that
	// panels can share a range), widened to whole ticks: a linear axis
	// starts at 0 when no value is negative and leaves 5 % above the
	// highest; a log axis spans whole decades.
	Min, Max float64
}

// Panel is one plot area.
type Panel struct {
	Title  string
	X, Y   Axis
	Series []Series
}

// Figure is what is drawn into one SVG file.
type Figure struct {
	Title   string
	Panels  []Panel
	Caption string // one line under the chart that says what to see
	Width   int    // pixels; 0 is 1000
	Height  int    // of the panels; 0 is 380
}

var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf"}

const (
	font        = "DejaVu Sans, Helvetica, Arial, sans-serif"
	titleH      = 30.0
	legendRowH  = 20.0
	captionH    = 34.0
	padLeft     = 70.0 // room for the y tick labels and the y label
	padRight    = 18.0
	padTop      = 26.0 // the panel title
	padBottom   = 52.0 // the x tick labels and the x label
	charW       = 6.6  // rough width of a character at 12 px
	legendSwatW = 26.0
)

// SVG draws the figure.
func (f Figure) SVG() ([]byte, error) {
	if len(f.Panels) == 0 {
		return nil, errors.New("chart: no panel")
	}
	w, ph := float64(f.Width), float64(f.Height)
	if w <= 0 {
		w = 1000
	}
	if ph <= 0 {
		ph = 380
	}

	// One colour and one legend entry per series name, in order of first use.
	type entry struct {
		name, color string
		style       Style
	}
	var legend []entry
	colors := map[string]string{}
	next := 0
	for _, p := range f.Panels {
		for _, s := range p.Series {
			if s.Name == "" {
				return nil, errors.New("chart: a series has no name")
			}
			if _, ok := colors[s.Name]; ok {
				continue
			}
			c := s.Color
			if c == "" {
				c = palette[next%len(palette)]
				next++
			}
			colors[s.Name] = c
			legend = append(legend, entry{s.Name, c, s.Style})
		}
	}

	// Legend rows, wrapped to the width.
	type placed struct {
		entry
		x, y float64
	}
	var items []placed
	x, y := 16.0, titleH+14
	for _, e := range legend {
		iw := legendSwatW + 6 + charW*float64(len([]rune(e.name))) + 22
		if x+iw > w-16 && x > 16 {
			x, y = 16, y+legendRowH
		}
		items = append(items, placed{e, x, y})
		x += iw
	}
	top := y + legendRowH - 4
	h := top + ph + captionH

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="%s" font-size="12">`+"\n", w, h, w, h, font)
	fmt.Fprintf(&b, `<rect width="%g" height="%g" fill="white"/>`+"\n", w, h)
	if f.Title != "" {
		fmt.Fprintf(&b, `<text class="title" x="%g" y="20" font-size="15" font-weight="bold">%s</text>`+"\n", 16.0, esc(f.Title))
	}
	b.WriteString(`<g class="legend">` + "\n")
	for _, it := range items {
		fmt.Fprintf(&b, `<g class="legend-entry" data-series="%s">`, esc(it.name))
		sy := it.y - 4
		switch it.style {
		case Scatter:
			fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="3.5" fill="%s"/>`, it.x+legendSwatW/2, sy, it.color)
		case Dashed:
			fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="2" stroke-dasharray="6 4"/>`, it.x, sy, it.x+legendSwatW, sy, it.color)
		default:
			fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="2"/><circle cx="%g" cy="%g" r="3" fill="%s"/>`,
				it.x, sy, it.x+legendSwatW, sy, it.color, it.x+legendSwatW/2, sy, it.color)
		}
		fmt.Fprintf(&b, `<text x="%g" y="%g">%s</text></g>`+"\n", it.x+legendSwatW+6, it.y, esc(it.name))
	}
	b.WriteString("</g>\n")

	pw := w / float64(len(f.Panels))
	for i, p := range f.Panels {
		if err := p.draw(&b, float64(i)*pw, top, pw, ph, colors); err != nil {
			return nil, fmt.Errorf("chart: panel %q: %w", p.Title, err)
		}
	}

	if f.Caption != "" {
		// One line: the font shrinks rather than the caption wrapping.
		size := math.Min(13, (w-32)/(0.56*float64(len([]rune(f.Caption)))))
		fmt.Fprintf(&b, `<text class="caption" x="%g" y="%g" font-size="%.1f" font-style="italic">%s</text>`+"\n", 16.0, h-12, size, esc(f.Caption))
	}
	b.WriteString("</svg>\n")
	return b.Bytes(), nil
}

// scale maps data values of one axis to pixels.
type scale struct {
	lo, hi   float64 // data range (for log axes: the values, not their logs)
	p0, p1   float64 // pixels of lo and hi
	log      bool
	ticks    []float64
	minor    []float64 // log axes: 2..9 of each decade
	fallback float64   // where values ≤ 0 go on a log axis
}

func (s scale) px(v float64) float64 {
	if s.log {
		if v <= 0 {
			v = s.fallback
		}
		return s.p0 + (math.Log10(v)-math.Log10(s.lo))/(math.Log10(s.hi)-math.Log10(s.lo))*(s.p1-s.p0)
	}
	return s.p0 + (v-s.lo)/(s.hi-s.lo)*(s.p1-s.p0)
}

func newScale(a Axis, vals []float64, p0, p1 float64) (scale, error) {
	s := scale{p0: p0, p1: p1, log: a.Log}
	if a.Log {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range vals {
			if v > 0 {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		if a.Max > a.Min && a.Min > 0 {
			lo, hi = math.Min(lo, a.Min), math.Max(hi, a.Max)
		}
		if math.IsInf(lo, 1) {
			return s, errors.New("log axis without a positive value")
		}
		lo, hi = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)))
		if hi <= lo {
			hi = lo * 10
		}
		s.lo, s.hi, s.fallback = lo, hi, lo
		decades := math.Log10(hi) - math.Log10(lo)
		for k := math.Floor(math.Log10(lo)); k <= math.Ceil(math.Log10(hi)); k++ {
			for m := 1.0; m < 10; m++ {
				v := m * math.Pow(10, k)
				if v < lo*0.9999 || v > hi*1.0001 {
					continue
				}
				if m == 1 || (decades <= 1.5 && (m == 2 || m == 5)) {
					s.ticks = append(s.ticks, v)
				} else {
					s.minor = append(s.minor, v)
				}
			}
		}
		return s, nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if a.Max > a.Min {
		lo, hi = math.Min(lo, a.Min), math.Max(hi, a.Max)
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	if lo >= 0 {
		lo = 0
	}
	hi += (hi - lo) * 0.05
	if hi <= lo {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / 5)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	s.lo, s.hi = lo, hi
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		s.ticks = append(s.ticks, math.Round(v/step)*step)
	}
	return s, nil
}

// niceStep is 1, 2, 2.5 or 5 times a power of ten, at least raw.
func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw*0.999 {
			return m * mag
		}
	}
	return 10 * mag
}

// label formats a tick value: no trailing zeros, no exponent below 1e6.
func label(v float64) string {
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64) // 0.30000000000000004 is 0.3
	if v != 0 && (math.Abs(v) >= 1e6 || math.Abs(v) < 1e-3) {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func (p Panel) draw(b *bytes.Buffer, x0, y0, w, h float64, colors map[string]string) error {
	var xs, ys []float64
	for _, s := range p.Series {
		for _, pt := range s.Points {
			xs, ys = append(xs, pt.X), append(ys, pt.Y)
		}
	}
	left, right, top, bottom := x0+padLeft, x0+w-padRight, y0+padTop, y0+h-padBottom
	sx, err := newScale(p.X, xs, left, right)
	if err != nil {
		return fmt.Errorf("x: %w", err)
	}
	sy, err := newScale(p.Y, ys, bottom, top)
	if err != nil {
		return fmt.Errorf("y: %w", err)
	}

	fmt.Fprintf(b, `<g class="panel" data-title="%s">`+"\n", esc(p.Title))
	if p.Title != "" {
		fmt.Fprintf(b, `<text class="panel-title" x="%g" y="%g" text-anchor="middle" font-size="13" font-weight="bold">%s</text>`+"\n", (left+right)/2, y0+16, esc(p.Title))
	}
	// Grid, ticks and tick labels.
	b.WriteString(`<g class="grid" stroke="#e4e4e4" stroke-width="1">`)
	for _, t := range sx.ticks {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g"/>`, sx.px(t), top, sx.px(t), bottom)
	}
	for _, t := range sy.ticks {
		fmt.Fprintf(b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f"/>`, left, sy.px(t), right, sy.px(t))
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(b, `<g class="axes" stroke="#333" stroke-width="1"><line x1="%g" y1="%g" x2="%g" y2="%g"/><line x1="%g" y1="%g" x2="%g" y2="%g"/>`,
		left, bottom, right, bottom, left, bottom, left, top)
	for _, t := range sx.ticks {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g"/>`, sx.px(t), bottom, sx.px(t), bottom+5)
	}
	for _, t := range sx.minor {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g"/>`, sx.px(t), bottom, sx.px(t), bottom+3)
	}
	for _, t := range sy.ticks {
		fmt.Fprintf(b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f"/>`, left-5, sy.px(t), left, sy.px(t))
	}
	for _, t := range sy.minor {
		fmt.Fprintf(b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f"/>`, left-3, sy.px(t), left, sy.px(t))
	}
	b.WriteString("</g>\n")
	b.WriteString(`<g class="tick-labels" fill="#333" font-size="11">`)
	for _, t := range sx.ticks {
		fmt.Fprintf(b, `<text x="%.1f" y="%g" text-anchor="middle">%s</text>`, sx.px(t), bottom+17, label(t))
	}
	for _, t := range sy.ticks {
		fmt.Fprintf(b, `<text x="%g" y="%.1f" text-anchor="end">%s</text>`, left-8, sy.px(t)+4, label(t))
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(b, `<text class="x-label" x="%g" y="%g" text-anchor="middle">%s</text>`+"\n", (left+right)/2, bottom+38, esc(axisLabel(p.X)))
	fmt.Fprintf(b, `<text class="y-label" x="%g" y="%g" text-anchor="middle" transform="rotate(-90 %g %g)">%s</text>`+"\n",
		x0+16, (top+bottom)/2, x0+16, (top+bottom)/2, esc(axisLabel(p.Y)))

	// Series, clipped to the plot area.
	id := fmt.Sprintf("clip%d", int(x0))
	fmt.Fprintf(b, `<clipPath id="%s"><rect x="%g" y="%g" width="%g" height="%g"/></clipPath>`+"\n", id, left-4, top-4, right-left+8, bottom-top+8)
	for _, s := range p.Series {
		c := colors[s.Name]
		fmt.Fprintf(b, `<g class="series" data-series="%s" clip-path="url(#%s)">`, esc(s.Name), id)
		if s.Style != Scatter && len(s.Points) > 0 {
			pts := make([]string, len(s.Points))
			for i, pt := range s.Points {
				pts[i] = fmt.Sprintf("%.1f,%.1f", sx.px(pt.X), sy.px(pt.Y))
			}
			dash := ""
			if s.Style == Dashed {
				dash = ` stroke-dasharray="6 4"`
			}
			fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`, c, dash, strings.Join(pts, " "))
		}
		if s.Style != Dashed {
			r := 3.0
			if s.Style == Scatter {
				r = 3.5
			}
			for _, pt := range s.Points {
				fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="%g" fill="%s" fill-opacity="0.85"/>`, sx.px(pt.X), sy.px(pt.Y), r, c)
			}
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</g>\n")
	return nil
}

func axisLabel(a Axis) string {
	if a.Log {
		return a.Label + ", log scale"
	}
	return a.Label
}

// esc escapes text and attribute values.
func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
