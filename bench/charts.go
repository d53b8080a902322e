package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/bench/chart"
)

// The charts of the report, each drawn from the figures of one measure; the
// measures call these with what they measured, charts_test.go with made-up
// data.

const (
	colorOurs    = "#1f77b4"
	colorSecond  = "#ff7f0e"
	colorThird   = "#2ca02c"
	colorLimit   = "#d62728"
	colorNeutral = "#7f7f7f"
)

// scheduleData is what measure 1 found, per job length.
type scheduleData struct {
	durations         []time.Duration
	ours              []simResult     // this provider's schedule, seed 0's jitter
	worstLag          []time.Duration // this provider's schedule, worst of seeds
	seeds             int
	fixed5, fixed10   []simResult
	worstReads        int // total over the jobs, worst of seeds
	fixed5Reads       int
	shortestLongerJob time.Duration // jobs from this length on are "long" in the caption
}

func seconds(d time.Duration) float64 { return d.Seconds() }

// minutes says a whole number of minutes as such ("1 min"), anything else
// as time.Duration does.
func minutes(d time.Duration) string {
	if d > 0 && d%time.Minute == 0 {
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return d.String()
}

// scheduleChart: detection lag and reads per job length, this provider
// beside fixed 5 s and 10 s polling.
func scheduleChart(d scheduleData) chart.Figure {
	lag := func(rs []simResult) []chart.Point {
		pts := make([]chart.Point, len(rs))
		for i, x := range rs {
			pts[i] = chart.Point{X: seconds(x.duration), Y: seconds(x.lag)}
		}
		return pts
	}
	reads := func(rs []simResult) []chart.Point {
		pts := make([]chart.Point, len(rs))
		for i, x := range rs {
			pts[i] = chart.Point{X: seconds(x.duration), Y: float64(x.reads)}
		}
		return pts
	}
	var worst, bound []chart.Point
	var shortOurs, shortFixed time.Duration
	for i, dur := range d.durations {
		worst = append(worst, chart.Point{X: seconds(dur), Y: seconds(d.worstLag[i])})
		bound = append(bound, chart.Point{X: seconds(dur), Y: seconds(time.Second + dur/10)})
		if dur < d.shortestLongerJob {
			shortOurs = max(shortOurs, d.worstLag[i])
			shortFixed = max(shortFixed, d.fixed5[i].lag, d.fixed10[i].lag)
		}
	}
	within := "stay under"
	for i, dur := range d.durations {
		if d.worstLag[i] > time.Second+dur/10 {
			within = "do not all stay under"
		}
	}
	ours := fmt.Sprintf("hwcjobs (seed 0 of %d)", d.seeds)
	x := chart.Axis{Label: "job length (s)", Log: true}
	return chart.Figure{
		Title: "Detection lag and reads per job length (simulated clock)",
		Panels: []chart.Panel{
			{
				Title: "Detection lag", X: x, Y: chart.Axis{Label: "lag after the job ended (s)", Log: true},
				Series: []chart.Series{
					{Name: ours, Points: lag(d.ours), Color: colorOurs},
					{Name: fmt.Sprintf("hwcjobs, worst of %d seeds", d.seeds), Points: worst, Style: chart.Scatter, Color: "#9467bd"},
					{Name: "fixed 5 s", Points: lag(d.fixed5), Color: colorSecond},
					{Name: "fixed 10 s", Points: lag(d.fixed10), Color: colorThird},
					{Name: "target: 1 s + 10 % of the job", Points: bound, Style: chart.Dashed, Color: colorNeutral},
				},
			},
			{
				Title: "Reads per job", X: x, Y: chart.Axis{Label: "reads (job API requests)", Log: true},
				Series: []chart.Series{
					{Name: ours, Points: reads(d.ours), Color: colorOurs},
					{Name: "fixed 5 s", Points: reads(d.fixed5), Color: colorSecond},
					{Name: "fixed 10 s", Points: reads(d.fixed10), Color: colorThird},
				},
			},
		},
		Caption: fmt.Sprintf("Jobs under %s are seen within %s where fixed polling takes up to %s; longer jobs %s the dashed 1 s + 10 %% target, for %d reads in all against %d polling every 5 s.",
			minutes(d.shortestLongerJob), secs(shortOurs), secs(shortFixed), within, d.worstReads, d.fixed5Reads),
	}
}

// planData is what measure 2 found: median plan wall times per kind, one
// per size.
type planData struct {
	sizes      []int
	kinds      []string                   // the first is this provider's, the second the reference of the ratio
	median     map[string][]time.Duration // per kind, aligned with sizes
	runs       int
	target     float64 // the ratio's target
	targetSize int     // the size it applies to
}

// planChart: terraform plan wall time per number of data sources, and each
// kind's ratio to the reference.
func planChart(d planData) chart.Figure {
	colors := []string{colorOurs, colorSecond, colorThird, "#9467bd", "#8c564b", "#e377c2"}
	ref := d.median[d.kinds[1]]
	var walls, ratios []chart.Series
	for i, k := range d.kinds {
		var w, r []chart.Point
		for j, n := range d.sizes {
			w = append(w, chart.Point{X: float64(n), Y: seconds(d.median[k][j])})
			if i != 1 {
				r = append(r, chart.Point{X: float64(n), Y: seconds(d.median[k][j]) / seconds(ref[j])})
			}
		}
		walls = append(walls, chart.Series{Name: k, Points: w, Color: colors[i%len(colors)]})
		if i != 1 {
			ratios = append(ratios, chart.Series{Name: k, Points: r, Color: colors[i%len(colors)]})
		}
	}
	lo, hi := float64(d.sizes[0]), float64(d.sizes[len(d.sizes)-1])
	ratios = append(ratios, chart.Series{Name: fmt.Sprintf("target at %d: %s ≤ %.2f× %s", d.targetSize, d.kinds[0], d.target, d.kinds[1]),
		Points: []chart.Point{{X: lo, Y: d.target}, {X: hi, Y: d.target}}, Style: chart.Dashed, Color: colorLimit})
	last := len(d.sizes) - 1
	ours := d.median[d.kinds[0]]
	worst, worstN := 0.0, 0
	for j, n := range d.sizes {
		if r := seconds(ours[j]) / seconds(ref[j]); r > worst {
			worst, worstN = r, n
		}
	}
	x := chart.Axis{Label: "data sources (or resources) in the configuration", Log: true}
	return chart.Figure{
		Title: fmt.Sprintf("terraform plan wall time per configuration size (median of %d runs)", d.runs),
		Panels: []chart.Panel{
			{Title: "Wall time", X: x, Y: chart.Axis{Label: "plan wall time (s)", Log: true}, Series: walls},
			{Title: "Ratio to " + d.kinds[1], X: x, Y: chart.Axis{Label: "wall time ÷ " + d.kinds[1] + "'s (×)"}, Series: ratios},
		},
		Caption: fmt.Sprintf("%s costs at most %.2f× %s's plan time at any size (at %d; the target is ≤ %.2f× at %d), %s for %d; %s is Terraform's own floor.",
			d.kinds[0], worst, d.kinds[1], worstN, d.target, d.targetSize, secs(ours[last]), d.sizes[last], d.kinds[len(d.kinds)-1]),
	}
}

// fleetJob is one job of measure 3.
type fleetJob struct {
	end, detected time.Time
	readFirst     bool // its wait had read it before it ended
}

// fleetData is what measure 3 found.
type fleetData struct {
	start       time.Time   // the jobs' creation
	answers     []time.Time // every API answer
	throttled   []time.Time // the 429 answers among them
	limit       float64     // the emulator's, requests/s
	clientLimit float64     // the provider's requests_per_second
	jobs        []fleetJob
	target      time.Duration // the detection lag's
}

// fleetChart: requests per second over time against the limits, and each
// job's detection lag.
func fleetChart(d fleetData) chart.Figure {
	perSecond := func(ts []time.Time, bins int) []chart.Point {
		counts := make([]int, bins)
		for _, t := range ts {
			if k := int(t.Sub(d.start) / time.Second); k >= 0 && k < bins {
				counts[k]++
			}
		}
		pts := make([]chart.Point, bins)
		for k, c := range counts {
			pts[k] = chart.Point{X: float64(k) + 0.5, Y: float64(c)}
		}
		return pts
	}
	var end time.Time
	for _, t := range d.answers {
		end = latest(end, t)
	}
	bins := max(1, int(end.Sub(d.start)/time.Second)+1)
	span := float64(bins)
	var polled, early []chart.Point
	var worstPolled, worstEarly time.Duration
	for _, j := range d.jobs {
		lag := j.detected.Sub(j.end)
		p := chart.Point{X: seconds(j.end.Sub(d.start)), Y: seconds(lag)}
		if j.readFirst {
			polled, worstPolled = append(polled, p), max(worstPolled, lag)
		} else {
			early, worstEarly = append(early, p), max(worstEarly, lag)
		}
	}
	lastEnd := 0.0
	for _, j := range d.jobs {
		lastEnd = max(lastEnd, seconds(j.end.Sub(d.start)))
	}
	timeAxis := chart.Axis{Label: "time since the jobs were created (s)", Min: 0, Max: max(span, lastEnd)}
	peak := peakPerSecond(slices.Clone(d.answers))
	return chart.Figure{
		Title: fmt.Sprintf("A fleet of %d waits against a rate-limited emulator", len(d.jobs)),
		Panels: []chart.Panel{
			{
				Title: "API requests per second", X: timeAxis, Y: chart.Axis{Label: "requests per second (1 s bins)"},
				Series: []chart.Series{
					{Name: "requests answered", Points: perSecond(d.answers, bins), Color: colorOurs},
					{Name: "429 answers", Points: perSecond(d.throttled, bins), Color: colorSecond},
					{Name: fmt.Sprintf("emulator limit %g/s", d.limit), Points: []chart.Point{{X: 0, Y: d.limit}, {X: span, Y: d.limit}}, Style: chart.Dashed, Color: colorLimit},
					{Name: fmt.Sprintf("requests_per_second = %g", d.clientLimit), Points: []chart.Point{{X: 0, Y: d.clientLimit}, {X: span, Y: d.clientLimit}}, Style: chart.Dashed, Color: colorNeutral},
				},
			},
			{
				Title: "Detection lag per job", X: chart.Axis{Label: "job end (s after creation)", Min: 0, Max: max(span, lastEnd)}, Y: chart.Axis{Label: "lag after the job ended (s)"},
				Series: []chart.Series{
					{Name: "job ended while its wait was reading", Points: polled, Style: chart.Scatter, Color: colorOurs},
					{Name: "job ended before its wait's first read", Points: early, Style: chart.Scatter, Color: colorSecond},
					{Name: fmt.Sprintf("target %g s", seconds(d.target)), Points: []chart.Point{{X: 0, Y: seconds(d.target)}, {X: max(span, lastEnd), Y: seconds(d.target)}}, Style: chart.Dashed, Color: colorLimit},
				},
			},
		},
		Caption: fmt.Sprintf("Requests peak at %d in any 1 s window against the emulator's %g/s (%d 429s); jobs are seen within %s of their end once their wait is reading, %s for the %d that ended before it began.",
			peak, d.limit, len(d.throttled), secs(worstPolled), secs(worstEarly), len(early)),
	}
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
