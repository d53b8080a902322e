// Package testsupport holds what the tests of several packages, and bench/,
// share; production code never imports it. Its subpackage signvectors holds
// the signing vectors recorded from Huawei Cloud's official SDK.
package testsupport

import (
	"context"
	"fmt"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// This file runs the real poller (jobs.Waiter) on a simulated clock, so that
// a schedule's reads and detection lag can be measured in microseconds rather
// than hours. The jobs tests check DefaultSchedule with it; bench/ reports it.

// SimClock is a simulated clock: Sleep moves time on at once.
type SimClock struct{ now time.Time }

// NewSimClock returns a simulated clock stopped at a fixed instant.
func NewSimClock() *SimClock { return &SimClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

// Now returns the simulated time.
func (c *SimClock) Now() time.Time { return c.now }

// Sleep moves the clock on by d at once, unless ctx is already done.
func (c *SimClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return nil
}

// SimJob returns a Find that answers as an ECS job that started now on c,
// runs for dur and then ends in final.
func SimJob(c *SimClock, dur time.Duration, final string) func(context.Context) (*jobs.Job, error) {
	start := c.Now()
	return func(context.Context) (*jobs.Job, error) {
		status := "RUNNING"
		if c.Now().Sub(start) >= dur {
			status = final
		}
		return &jobs.Job{Service: service.ECS, Data: jobs.Record{"job_id": "j", "status": status, "phase": string(service.ECS.PhaseOf(status))}}, nil
	}
}

// SimDurations are the job lengths the schedule targets are stated for,
// from a few seconds to ten minutes; tests and bench/ measure on them.
var SimDurations = []time.Duration{2500 * time.Millisecond, 7 * time.Second, 13 * time.Second, 37 * time.Second, 71 * time.Second, 307 * time.Second, 613 * time.Second}

// SimResult is how the wait for one simulated job went.
type SimResult struct {
	Duration time.Duration // how long the job ran
	Reads    int           // reads the waiter made
	Lag      time.Duration // from the job's end to the read that saw it finished
}

// Simulate waits for one job of each duration, each on a fresh simulated
// clock: first delay (during which nothing is read), then the Waiter with
// schedule s and jitter draws from rnd.
func Simulate(delay time.Duration, s jobs.Schedule, rnd func() float64, durations []time.Duration) ([]SimResult, error) {
	out := make([]SimResult, 0, len(durations))
	for _, d := range durations {
		c := NewSimClock()
		find := SimJob(c, d, "SUCCESS")
		start := c.Now()
		_ = c.Sleep(context.Background(), delay)
		res, err := jobs.Waiter{Find: find, Clock: c, Schedule: &s, Rand: rnd}.Wait(context.Background())
		if err != nil {
			return nil, fmt.Errorf("job of %s: %w", d, err)
		}
		out = append(out, SimResult{Duration: d, Reads: res.Reads, Lag: c.Now().Sub(start) - d})
	}
	return out, nil
}
