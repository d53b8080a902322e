package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	fleetSize     = 100
	fleetWithin   = 20 * time.Second // jobs finish at seeded random times within this
	fleetSeed     = 1
	fleetLimit    = 20 // the emulator's, requests/s (and burst)
	fleetClient   = 15 // the provider's requests_per_second
	fleetLagLimit = 10 * time.Second
)

// answerEvent is one API answer the emulator sent.
type answerEvent struct {
	at     time.Time
	code   int
	jobID  string // "" for IAM
	status string // the job's status in a 200 answer
}

// answerLog records every answer an emulator sends, for measures that
// need to know when a job was seen in which status.
type answerLog struct {
	mu     sync.Mutex
	events []answerEvent
}

// observe is newEmulator's observer.
func (l *answerLog) observe(req *http.Request, code int, body []byte) {
	ev := answerEvent{at: time.Now(), code: code}
	if i := strings.LastIndex(req.URL.Path, "/jobs/"); i >= 0 {
		ev.jobID = req.URL.Path[i+len("/jobs/"):]
	}
	if code == http.StatusOK && ev.jobID != "" {
		var job struct{ Status string }
		_ = json.Unmarshal(body, &job)
		ev.status = job.Status
	}
	l.mu.Lock()
	l.events = append(l.events, ev)
	l.mu.Unlock()
}

// all returns a copy of the answers so far.
func (l *answerLog) all() []answerEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]answerEvent(nil), l.events...)
}

// measureFleet applies fleetSize hwcjobs_ecs_job_wait resources with
// -parallelism=100 against an emulator limited to 20 requests/s, the
// provider set to requests_per_second = 15.
//
// Detection is measured at the emulator, which runs in this process: the
// time it answered the first read that showed a job finished, minus the
// time the job finished (its creation plus its timeline). That is when the
// provider learnt of it, less loopback transit. Jobs are created just
// before `terraform apply` starts, so a job that finishes before its wait
// has made its first read counts Terraform's start-up and plan as lag too;
// the report also gives the lag of the others alone.
func measureFleet(env *benchEnv, r *report) error {
	answers := &answerLog{}
	srv, err := newEmulator(answers.observe)
	if err != nil {
		return err
	}
	defer srv.stop()
	cli, err := env.cliConfig("fleet", env.plugins)
	if err != nil {
		return err
	}
	dir, err := env.writeConfig("fleet", fmt.Sprintf(`terraform {
  required_providers {
    hwcjobs = { source = "hwcjobs/hwcjobs" }
  }
}

provider "hwcjobs" {
  requests_per_second = %d
}

resource "hwcjobs_ecs_job_wait" "w" {
  count  = %d
  job_id = format("fleet-%%03d", count.index)
}
`, fleetClient, fleetSize))
	if err != nil {
		return err
	}

	srv.rateLimit(fleetLimit, fleetLimit)
	rng := rand.New(rand.NewPCG(fleetSeed, 8))
	finish := map[string]time.Time{}
	start, lastFinish := time.Now(), time.Duration(0)
	for i := range fleetSize {
		id := fmt.Sprintf("fleet-%03d", i)
		after := time.Duration(rng.Float64() * float64(fleetWithin))
		created := time.Now()
		if err := srv.jobSucceedingAfter("ecs", id, after); err != nil {
			return err
		}
		finish[id] = created.Add(after)
		lastFinish = max(lastFinish, created.Add(after).Sub(start))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	wall, err := env.terraform(ctx, dir, tfEnv(cli, srv.url), "apply", "-auto-approve", "-input=false", "-lock=false", "-no-color", "-parallelism=100")
	if err != nil {
		return err
	}
	c := srv.counts()

	events := answers.all()
	if len(events) == 0 {
		return fmt.Errorf("the emulator saw no request")
	}
	first := events[0].at
	firstRead, detected := map[string]time.Time{}, map[string]time.Time{}
	late429, reads := 0, 0
	var times, throttled []time.Time
	for _, ev := range events {
		times = append(times, ev.at)
		if ev.code == http.StatusTooManyRequests {
			throttled = append(throttled, ev.at)
			if ev.at.Sub(first) > time.Second {
				late429++
			}
		}
		if _, ok := finish[ev.jobID]; !ok {
			continue
		}
		reads++
		if _, ok := firstRead[ev.jobID]; !ok {
			firstRead[ev.jobID] = ev.at
		}
		if _, ok := detected[ev.jobID]; !ok && ev.status == "SUCCESS" {
			detected[ev.jobID] = ev.at
		}
	}
	var lags, pollerLags []time.Duration
	var seen []fleetJob
	missed, finishedFirst := 0, 0
	lastFirstRead := first
	for id, end := range finish {
		if firstRead[id].After(lastFirstRead) {
			lastFirstRead = firstRead[id]
		}
		d, ok := detected[id]
		if !ok {
			missed++
			continue
		}
		lag := d.Sub(end)
		lags = append(lags, lag)
		readFirst := !end.Before(firstRead[id])
		seen = append(seen, fleetJob{end: end, detected: d, readFirst: readFirst})
		if readFirst {
			pollerLags = append(pollerLags, lag)
		} else {
			finishedFirst++
		}
	}
	if len(lags) == 0 {
		return fmt.Errorf("no job was seen finished")
	}
	maxLag, maxPoller := slices.Max(lags), time.Duration(0)
	if len(pollerLags) > 0 {
		maxPoller = slices.Max(pollerLags)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%d `hwcjobs_ecs_job_wait` on ECS jobs that finish at seeded random times within %s of their creation (just before `terraform apply -parallelism=100` starts); "+
		"emulator limited to %d requests/s (burst %d), provider `requests_per_second = %d`.\n\n", fleetSize, fleetWithin, fleetLimit, fleetLimit, fleetClient)
	fmt.Fprintf(&b, "- apply wall time: %s (the last job finishes %s after creation)\n", secs(wall), secs(lastFinish))
	fmt.Fprintf(&b, "- API requests: %d (%d job reads, %d IAM), i.e. %.1f reads per job; peak %d requests in any 1 s window\n", c.requests, reads, c.iam, float64(reads)/fleetSize, peakPerSecond(times))
	fmt.Fprintf(&b, "- 429s received: %d in all, %d after the first second (from the first request, %s after creation)\n", c.statuses[http.StatusTooManyRequests], late429, secs(first.Sub(start)))
	fmt.Fprintf(&b, "- every wait had made its first read %s after the first request (%d reads at %d/s take %.1f s)\n", secs(lastFirstRead.Sub(first)), fleetSize, fleetClient, float64(fleetSize)/fleetClient)
	fmt.Fprintf(&b, "- detection lag (emulator's answer to the first read showing SUCCESS, minus the job's end): median %s, max %s over %d jobs; %d never seen finished\n",
		secs(median(lags)), secs(maxLag), len(lags), missed)
	fmt.Fprintf(&b, "- of which %d jobs had finished before their wait's first read (their lag includes Terraform's start-up and the client rate limit); the other %d: max lag %s\n",
		finishedFirst, len(pollerLags), secs(maxPoller))
	b.WriteString("\n" + r.figure("fleet.svg", fleetChart(fleetData{
		start: start, answers: times, throttled: throttled, limit: fleetLimit, clientLimit: fleetClient, jobs: seen, target: fleetLagLimit,
	})) + "\n")
	r.section("3. Fleet", b.String())

	r.add("3", "fleet of 100 waits: wall time, reads", fmt.Sprintf("%s, %d job reads, %d 429s in all", secs(wall), reads, c.statuses[http.StatusTooManyRequests]), "—", nil)
	r.add("3", "429s after the first second", fmt.Sprint(late429), "0", ptr(late429 == 0))
	r.meet("a provider requests_per_second further below the emulator's limit, or a smaller burst in the provider's rate limiter")
	r.add("3", "detection lag, worst of 100 jobs", fmt.Sprintf("%s (median %s, %d never seen finished)", secs(maxLag), secs(median(lags)), missed), fmt.Sprintf("≤ %g s", fleetLagLimit.Seconds()), ptr(missed == 0 && maxLag <= fleetLagLimit))
	r.meet("a shorter poll interval cap while many waits share the rate limit, or a higher requests_per_second where the account allows it")
	return nil
}

// peakPerSecond is the most events within any window of one second.
func peakPerSecond(ts []time.Time) int {
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	peak, lo := 0, 0
	for hi := range ts {
		for ts[hi].Sub(ts[lo]) >= time.Second {
			lo++
		}
		peak = max(peak, hi-lo+1)
	}
	return peak
}
