package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/testsupport"
)

// scheduleSeeds is how many jitter draws of the real schedule are run; the
// targets must hold for the worst of them.
const scheduleSeeds = 100

type simRun struct {
	results []testsupport.SimResult
	reads   int
	median  time.Duration
}

func simulate(delay time.Duration, s jobs.Schedule, rnd func() float64) (simRun, error) {
	res, err := testsupport.Simulate(delay, s, rnd, testsupport.SimDurations)
	if err != nil {
		return simRun{}, err
	}
	run := simRun{results: res}
	var lags []time.Duration
	for _, x := range res {
		run.reads += x.Reads
		lags = append(lags, x.Lag)
	}
	run.median = median(lags)
	return run, nil
}

// measureSchedule runs the real poller (jobs.Waiter with
// jobs.DefaultSchedule) on a simulated clock for each job duration, beside
// fixed polling every 10 s after 10 s and every 5 s after 5 s (the official
// provider's faster setting) through the same harness.
func measureSchedule(r *report) error {
	fixed := func(every time.Duration) jobs.Schedule { return jobs.Schedule{Start: every, Max: every} }
	zero := func() float64 { return 0 }
	ref10, err := simulate(10*time.Second, fixed(10*time.Second), zero)
	if err != nil {
		return err
	}
	ref5, err := simulate(5*time.Second, fixed(5*time.Second), zero)
	if err != nil {
		return err
	}

	var seed0 simRun
	n := len(testsupport.SimDurations)
	worstLag := make([]time.Duration, n)
	worstReads, worstMedian := 0, time.Duration(0)
	for seed := uint64(0); seed < scheduleSeeds; seed++ {
		run, err := simulate(0, jobs.DefaultSchedule, rand.New(rand.NewPCG(seed, 42)).Float64)
		if err != nil {
			return err
		}
		if seed == 0 {
			seed0 = run
		}
		for i, x := range run.results {
			worstLag[i] = max(worstLag[i], x.Lag)
		}
		worstReads, worstMedian = max(worstReads, run.reads), max(worstMedian, run.median)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "The real poller (`jobs.Waiter` with `jobs.DefaultSchedule`, reading at once) on a simulated clock (`testsupport.Simulate`), "+
		"seed 0's jitter draws and the worst of %d seeds, beside fixed polling through the same harness. Lag is from the job's end to the read that saw it finished.\n\n", scheduleSeeds)
	b.WriteString("| job | hwcjobs reads / lag (seed 0) | worst lag, 100 seeds | bound 1 s + 10 % | fixed 10 s after 10 s | fixed 5 s after 5 s |\n|---|---|---|---|---|---|\n")
	allWithin := true
	worstShare, worstJob := 0.0, 0
	for i, d := range testsupport.SimDurations {
		bound := time.Second + d/10
		if worstLag[i] > bound {
			allWithin = false
		}
		if share := float64(worstLag[i]) / float64(bound); share > worstShare {
			worstShare, worstJob = share, i
		}
		fmt.Fprintf(&b, "| %s | %d / %s | %s | %s | %d / %s | %d / %s |\n", d, seed0.results[i].Reads, round(seed0.results[i].Lag), round(worstLag[i]), bound,
			ref10.results[i].Reads, round(ref10.results[i].Lag), ref5.results[i].Reads, round(ref5.results[i].Lag))
	}
	fmt.Fprintf(&b, "| **total reads** | %d | worst %d | | %d | %d |\n", seed0.reads, worstReads, ref10.reads, ref5.reads)
	fmt.Fprintf(&b, "| **median lag** | %s | worst %s | | %s | %s |\n", round(seed0.median), round(worstMedian), round(ref10.median), round(ref5.median))
	r.section("1. Detection lag and reads (simulated clock)", b.String())

	r.add("1", "every job seen within 1 s + 10 % of its duration (worst of 100 seeds)",
		fmt.Sprintf("closest: %s job, %s of %s bound", testsupport.SimDurations[worstJob], round(worstLag[worstJob]), time.Second+testsupport.SimDurations[worstJob]/10),
		"every job", ptr(allWithin))
	r.add("1", "total reads for the 7 jobs (worst of 100 seeds)", fmt.Sprintf("%d (fixed 5 s: %d, fixed 10 s: %d)", worstReads, ref5.reads, ref10.reads),
		fmt.Sprintf("< %d", ref5.reads), ptr(worstReads < ref5.reads))
	r.add("1", "median lag (worst of 100 seeds)", fmt.Sprintf("%s (fixed 5 s: %s, fixed 10 s: %s)", round(worstMedian), round(ref5.median), round(ref10.median)),
		"< "+round(ref5.median), ptr(worstMedian < ref5.median))
	return nil
}

func round(d time.Duration) string { return d.Round(10 * time.Millisecond).String() }
