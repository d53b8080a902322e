package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// scheduleSeeds is how many jitter draws of the real schedule are run; the
// targets must hold for the worst of them.
const scheduleSeeds = 100

type simRun struct {
	results []simResult
	reads   int
	median  time.Duration
}

func simulate(delay time.Duration, s schedule, rnd *rand.Rand) (simRun, error) {
	res, err := simulateJobs(delay, s, rnd)
	if err != nil {
		return simRun{}, err
	}
	run := simRun{results: res}
	var lags []time.Duration
	for _, x := range res {
		run.reads += x.reads
		lags = append(lags, x.lag)
	}
	run.median = median(lags)
	return run, nil
}

// measureSchedule runs the real poller (jobs.Waiter with
// jobs.DefaultSchedule) on a simulated clock for each job duration, beside
// fixed polling every 10 s after 10 s and every 5 s after 5 s (the official
// provider's faster setting) through the same harness.
func measureSchedule(r *report) error {
	ref10, err := simulate(10*time.Second, fixedSchedule(10*time.Second), nil)
	if err != nil {
		return err
	}
	ref5, err := simulate(5*time.Second, fixedSchedule(5*time.Second), nil)
	if err != nil {
		return err
	}

	var seed0 simRun
	worstLag := make([]time.Duration, len(simDurations))
	worstReads, worstMedian := 0, time.Duration(0)
	for seed := uint64(0); seed < scheduleSeeds; seed++ {
		run, err := simulate(0, defaultSchedule, rand.New(rand.NewPCG(seed, 42)))
		if err != nil {
			return err
		}
		if seed == 0 {
			seed0 = run
		}
		for i, x := range run.results {
			worstLag[i] = max(worstLag[i], x.lag)
		}
		worstReads, worstMedian = max(worstReads, run.reads), max(worstMedian, run.median)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "The real poller (`jobs.Waiter` with `jobs.DefaultSchedule`, reading at once) on a simulated clock, "+
		"seed 0's jitter draws and the worst of %d seeds, beside fixed polling through the same harness. Lag is from the job's end to the read that saw it finished.\n\n", scheduleSeeds)
	b.WriteString("| job | hwcjobs reads / lag (seed 0) | worst lag, 100 seeds | bound 1 s + 10 % | fixed 10 s after 10 s | fixed 5 s after 5 s |\n|---|---|---|---|---|---|\n")
	allWithin := true
	worstShare, worstJob := 0.0, 0
	for i, d := range simDurations {
		bound := time.Second + d/10
		if worstLag[i] > bound {
			allWithin = false
		}
		if share := float64(worstLag[i]) / float64(bound); share > worstShare {
			worstShare, worstJob = share, i
		}
		fmt.Fprintf(&b, "| %s | %d / %s | %s | %s | %d / %s | %d / %s |\n", d, seed0.results[i].reads, round(seed0.results[i].lag), round(worstLag[i]), bound,
			ref10.results[i].reads, round(ref10.results[i].lag), ref5.results[i].reads, round(ref5.results[i].lag))
	}
	fmt.Fprintf(&b, "| **total reads** | %d | worst %d | | %d | %d |\n", seed0.reads, worstReads, ref10.reads, ref5.reads)
	fmt.Fprintf(&b, "| **median lag** | %s | worst %s | | %s | %s |\n", round(seed0.median), round(worstMedian), round(ref10.median), round(ref5.median))
	b.WriteString("\n" + r.figure("schedule.svg", scheduleChart(scheduleData{
		durations: simDurations, ours: seed0.results, worstLag: worstLag, seeds: scheduleSeeds,
		fixed5: ref5.results, fixed10: ref10.results, worstReads: worstReads, fixed5Reads: ref5.reads,
		shortestLongerJob: time.Minute,
	})) + "\n")
	r.section("1. Detection lag and reads (simulated clock)", b.String())

	r.add("1", "every job seen within 1 s + 10 % of its duration (worst of 100 seeds)",
		fmt.Sprintf("closest: %s job, %s of %s bound", simDurations[worstJob], round(worstLag[worstJob]), time.Second+simDurations[worstJob]/10),
		"every job", ptr(allWithin))
	r.meet("a lower cap or slower growth of the poll interval (jobs.DefaultSchedule's Max, Slow, Fast) for the job lengths that miss")
	r.add("1", "total reads for the 7 jobs (worst of 100 seeds)", fmt.Sprintf("%d (fixed 5 s: %d, fixed 10 s: %d)", worstReads, ref5.reads, ref10.reads),
		fmt.Sprintf("< %d", ref5.reads), ptr(worstReads < ref5.reads))
	r.meet("faster growth of the poll interval after the first minute (jobs.DefaultSchedule's Fast), which long jobs' reads depend on")
	r.add("1", "median lag (worst of 100 seeds)", fmt.Sprintf("%s (fixed 5 s: %s, fixed 10 s: %s)", round(worstMedian), round(ref5.median), round(ref10.median)),
		"< "+round(ref5.median), ptr(worstMedian < ref5.median))
	r.meet("slower growth of the poll interval in the first 40 s (jobs.DefaultSchedule's Slow and Knee), where the median job lies")
	return nil
}

func round(d time.Duration) string { return d.Round(10 * time.Millisecond).String() }
