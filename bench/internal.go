package main

// The only file of bench that imports the provider's internal/jobs and
// internal/emulator (and the simulated clock of internal/testsupport): the measures use the small API below, so that moving
// or reshaping those packages changes this file alone.

import (
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/testsupport"
)

// --- The poller on a simulated clock (testsupport.Simulate and friends). ---

// schedule is the poller's schedule.
type schedule = jobs.Schedule

// defaultSchedule is the provider's own schedule.
var defaultSchedule = jobs.DefaultSchedule

// simDurations are the job lengths the schedule measure waits for.
var simDurations = testsupport.SimDurations

// fixedSchedule reads every `every`, the first read after `every`.
func fixedSchedule(every time.Duration) schedule { return jobs.Schedule{Start: every, Max: every} }

// simResult is how the wait for one simulated job went.
type simResult struct {
	duration time.Duration // how long the job ran
	reads    int           // reads the waiter made
	lag      time.Duration // from the job's end to the read that saw it finished
}

// simulateJobs runs the real poller (jobs.Waiter) on a simulated clock for
// one job of each of simDurations: nothing is read for delay, then s is
// followed with jitter draws from rnd (nil: no jitter).
func simulateJobs(delay time.Duration, s schedule, rnd *rand.Rand) ([]simResult, error) {
	draw := func() float64 { return 0 }
	if rnd != nil {
		draw = rnd.Float64
	}
	res, err := testsupport.Simulate(delay, s, draw, testsupport.SimDurations)
	if err != nil {
		return nil, err
	}
	out := make([]simResult, len(res))
	for i, x := range res {
		out[i] = simResult{duration: x.Duration, reads: x.Reads, lag: x.Lag}
	}
	return out, nil
}

// --- The emulator, served on loopback in this process. ---

// emu is a running emulator.
type emu struct {
	srv  *emulator.Server
	url  string
	stop func()
}

// newEmulator starts an emulator on a free loopback port. If observe is
// set, it sees every API answer (status code and body) as it is sent, for
// measures that need to know when something was answered.
func newEmulator(observe func(r *http.Request, code int, body []byte)) (*emu, error) {
	srv := emulator.New(emulator.Options{})
	url, stop, err := serveLoopback(srv, observe)
	if err != nil {
		return nil, err
	}
	return &emu{srv: srv, url: url, stop: stop}, nil
}

// finishedJob adds a job of service ("ecs", "elb", "sdrs", "sfs-turbo")
// that has already succeeded.
func (e *emu) finishedJob(service, id string) error {
	_, err := e.srv.CreateJob(emulator.JobSpec{Service: service, JobID: id, Timeline: []emulator.Step{{Status: "SUCCESS"}}})
	return err
}

// jobSucceedingAfter adds a job of service that runs from now and succeeds
// after `after`.
func (e *emu) jobSucceedingAfter(service, id string, after time.Duration) error {
	_, err := e.srv.CreateJob(emulator.JobSpec{Service: service, JobID: id, Timeline: []emulator.Step{{Status: "RUNNING"}, {Status: "SUCCESS", After: after}}})
	return err
}

// rateLimit makes the emulator answer 429 beyond rps requests a second
// (token bucket of burst).
func (e *emu) rateLimit(rps float64, burst int) {
	e.srv.SetRateLimit(emulator.RateLimit{RPS: rps, Burst: burst})
}

// emuCounts is what the emulator was asked since the last reset.
type emuCounts struct {
	requests int            // API requests
	iam      int            // IAM project look-ups
	jobs     map[string]int // requests per job, keyed service + "/" + job id
	statuses map[int]int    // answers per HTTP status code
}

func (e *emu) counts() emuCounts {
	c := e.srv.Counters()
	return emuCounts{requests: c.Requests, iam: c.IAMCalls, jobs: c.Jobs, statuses: c.Statuses}
}

func (e *emu) resetCounts() { e.srv.ResetCounters() }
