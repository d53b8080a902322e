package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// progressEvery is the longest a wait action stays silent: Terraform shows
// nothing else while an action runs.
const progressEvery = 30 * time.Second

// progress turns a wait into progress lines such as
//
//	ECS job 4010b39b...: RUNNING, 1 of 2 sub-jobs finished, 2m10s
//
// one at every change of what the reads see (status, sub-jobs finished,
// not found, a failed read) and, between reads, at least every `every`.
// It is the Waiter's OnRead and, wrapping the Waiter's clock, its Clock:
// the schedule's sleeps (up to a minute) are cut into pieces so that a
// heartbeat line goes out on time, on the waiting goroutine, with no
// second poller.
type progress struct {
	svc   *service.Service
	jobID string
	clock jobs.Clock
	every time.Duration
	send  func(string)

	start    time.Time // when the wait began
	lastSent time.Time // when the last line went out
	seen     string    // what the last read saw, "" before the first
}

// newProgress starts reporting a wait for job jobID of svc that begins
// now on clock.
func newProgress(svc *service.Service, jobID string, clock jobs.Clock, every time.Duration, send func(string)) *progress {
	now := clock.Now()
	return &progress{svc: svc, jobID: jobID, clock: clock, every: every, send: send, start: now, lastSent: now}
}

// onRead is the Waiter's OnRead: a line when the read saw something new,
// or when the last line is `every` old.
func (p *progress) onRead(job *jobs.Job, err error, elapsed time.Duration) {
	seen := describeRead(job, err)
	if seen != p.seen || p.clock.Now().Sub(p.lastSent) >= p.every {
		p.seen = seen
		p.emit(elapsed)
	}
}

func (p *progress) emit(elapsed time.Duration) {
	p.lastSent = p.clock.Now()
	p.send(progressLine(p.svc, p.jobID, p.seen, elapsed))
}

// Now returns the wrapped clock's time.
func (p *progress) Now() time.Time { return p.clock.Now() }

// Sleep sleeps d on the wrapped clock, sending what was last seen each
// time `every` has passed since the last line.
func (p *progress) Sleep(ctx context.Context, d time.Duration) error {
	end := p.clock.Now().Add(d)
	for {
		now := p.clock.Now()
		due := p.lastSent.Add(p.every)
		if p.seen == "" || !due.Before(end) {
			return p.clock.Sleep(ctx, end.Sub(now))
		}
		if err := p.clock.Sleep(ctx, due.Sub(now)); err != nil {
			return err
		}
		p.emit(p.clock.Now().Sub(p.start))
	}
}

// describeRead says what one read saw: the status and, where the job
// lists sub-jobs, how many have finished; or why there was no job.
func describeRead(job *jobs.Job, err error) string {
	switch {
	case err == nil && job != nil:
		s := job.Status()
		if total, finished, ok := job.SubJobs(); ok && total > 0 {
			s += fmt.Sprintf(", %d of %d sub-jobs finished", finished, total)
		}
		return s
	case hwc.IsNotFound(err):
		return "not found yet"
	case err != nil:
		msg, _, _ := strings.Cut(err.Error(), "\n")
		if len(msg) > 160 {
			msg = msg[:157] + "..."
		}
		return "reading failed (" + msg + ")"
	}
	return "no answer"
}

// progressLine is one progress line: service, short job id, what was
// seen, time waited.
func progressLine(svc *service.Service, jobID, seen string, elapsed time.Duration) string {
	return fmt.Sprintf("%s job %s: %s, %s", svc.Title, shortJobID(jobID), seen, elapsed.Round(time.Second))
}

// shortJobID keeps the first 8 characters of a job id longer than 16 (a
// UUID or 32 hex digits), as in 4010b39b...; the full id is in the configuration and in any error.
func shortJobID(id string) string {
	if len(id) > 16 {
		return id[:8] + "..."
	}
	return id
}
