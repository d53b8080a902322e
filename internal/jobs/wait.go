package jobs

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// Getter is the part of the Huawei Cloud client that reads jobs.
type Getter interface {
	Get(ctx context.Context, req hwc.Request) (*hwc.Response, error)
}

// Find reads job jobID of service s once. A job that does not exist is an
// error for which hwc.IsNotFound is true; a body that is not a job matches
// ErrMalformed.
func Find(ctx context.Context, c Getter, s *service.Service, region, projectID, jobID string) (*Job, error) {
	resp, err := c.Get(ctx, hwc.Request{
		Service: s.Name,
		Host:    s.Host,
		Region:  region,
		Path:    s.Path,
		Params:  map[string]string{"project_id": projectID, "job_id": jobID},
	})
	if err != nil {
		return nil, err
	}
	job, err := Decode(s, resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s (request id %s): %w", resp.Path, resp.RequestID, err)
	}
	if job.RequestID == "" {
		job.RequestID = resp.RequestID
	}
	return job, nil
}

// Clock is the poller's time source; tests replace it with a simulated one.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever is first, and
	// returns ctx.Err() in the latter case.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns the current time.
func (RealClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Schedule spaces the reads of a job. The interval grows with the time
// waited so far: a job that has run for a while is likely to run a while
// longer, and finding it done a little later costs proportionally little.
// The interval never exceeds 1 s + 10 % of the time waited, so a job is
// always seen within 1 s + 10 % of its duration.
type Schedule struct {
	Start  time.Duration // interval right after the first read
	Slow   float64       // growth per second waited, until Knee
	Knee   time.Duration // from here the interval grows by Fast
	Fast   float64       // growth per second waited after Knee
	Max    time.Duration // the interval's cap
	Jitter float64       // fraction (0..1) taken off at random, so fleets spread out
}

// DefaultSchedule reads at once, then about every second, then with an
// interval that grows by 5 % of the time waited up to 40 s and by 10 %
// after, capped at one minute, with up to 20 % jitter.
//
// For jobs lasting 2.5 s to 10 min it makes fewer reads than polling every
// 5 s after a 5 s delay (the official provider's setting) while finding
// most jobs sooner; bench/ and wait_test.go measure both.
var DefaultSchedule = Schedule{
	Start:  time.Second,
	Slow:   0.05,
	Knee:   40 * time.Second,
	Fast:   0.10,
	Max:    time.Minute,
	Jitter: 0.2,
}

// Interval returns the wait before the next read when elapsed has passed
// since the first; u in [0, 1) draws the jitter.
func (s Schedule) Interval(elapsed time.Duration, u float64) time.Duration {
	e := elapsed.Seconds()
	base := s.Start.Seconds()
	if knee := s.Knee.Seconds(); e < knee {
		base += s.Slow * e
	} else {
		base += s.Slow*knee + s.Fast*(e-knee)
	}
	d := time.Duration(base * float64(time.Second))
	if s.Max > 0 && d > s.Max {
		d = s.Max
	}
	return time.Duration(float64(d) * (1 - s.Jitter*u))
}

// Waiter polls one job until it has finished.
type Waiter struct {
	// Find reads the job once.
	Find func(ctx context.Context) (*Job, error)
	// Clock and Schedule default to RealClock and DefaultSchedule.
	Clock    Clock
	Schedule *Schedule
	// Rand draws jitter in [0, 1); default math/rand/v2.
	Rand func() float64
	// NotFoundGrace is how long after the wait began a missing job is
	// read again rather than failed: a job is not always visible at once.
	NotFoundGrace time.Duration
	// MaxErrors is how many reads in a row may fail with a transient error
	// (after the client's own retries) before the wait gives up.
	MaxErrors int
	// OnRead, when set, is told of every read while the wait goes on: the
	// job, or the read's error, and the time since the wait began. It is
	// called on the waiting goroutine, before the wait decides what to do,
	// and not for a read cut short by the end of ctx.
	OnRead func(job *Job, err error, elapsed time.Duration)
}

// Result tells how a wait went.
type Result struct {
	Job    *Job
	Reads  int
	Waited time.Duration
}

// TimeoutError is returned when the wait's context ends before the job has
// finished.
type TimeoutError struct {
	LastStatus string // "" when no read succeeded
	LastPhase  service.Phase
	Waited     time.Duration
	Reads      int
	LastErr    error // the last read's error, if it failed
	Cancelled  bool  // the context was cancelled rather than timed out
}

func (e *TimeoutError) Error() string {
	what := "timed out"
	if e.Cancelled {
		what = "was cancelled"
	}
	seen := "no read succeeded"
	if e.LastStatus != "" {
		seen = fmt.Sprintf("last status %s (phase %s)", e.LastStatus, e.LastPhase)
	}
	msg := fmt.Sprintf("the wait %s after %s and %d reads: %s", what, e.Waited.Round(100*time.Millisecond), e.Reads, seen)
	if e.LastErr != nil {
		msg += fmt.Sprintf("; last error: %v", e.LastErr)
	}
	return msg
}

// Unwrap returns the last read's error.
func (e *TimeoutError) Unwrap() error { return e.LastErr }

// GoneError is returned when a job that was being waited for is not found
// after the grace period.
type GoneError struct {
	Waited time.Duration
	Err    error
}

func (e *GoneError) Error() string {
	return fmt.Sprintf("the job was not found after waiting %s: it does not exist in this project and region, or the service has deleted it (finished jobs are kept about a day): %v", e.Waited.Round(time.Second), e.Err)
}

// Unwrap returns the not-found error.
func (e *GoneError) Unwrap() error { return e.Err }

// Wait reads the job at once and then on the schedule until its phase is
// succeeded or failed, and returns it. It fails when ctx ends (a
// *TimeoutError), when the job stays missing past the grace period (a
// *GoneError), on an error that reading again cannot cure (401, 403, other
// 4xx), or after MaxErrors transient errors in a row.
func (w Waiter) Wait(ctx context.Context) (Result, error) {
	clock := w.Clock
	if clock == nil {
		clock = RealClock{}
	}
	sched := DefaultSchedule
	if w.Schedule != nil {
		sched = *w.Schedule
	}
	rnd := w.Rand
	if rnd == nil {
		rnd = rand.Float64
	}
	maxErrors := w.MaxErrors
	if maxErrors <= 0 {
		maxErrors = 5
	}

	start := clock.Now()
	var (
		res         Result
		last        *Job
		lastErr     error
		errorsInRow int
		warned      bool
	)
	timeout := func(err error) (Result, error) {
		res.Waited = clock.Now().Sub(start)
		te := &TimeoutError{Waited: res.Waited, Reads: res.Reads, LastErr: lastErr, Cancelled: errors.Is(err, context.Canceled)}
		if last != nil {
			te.LastStatus, te.LastPhase = last.Status(), last.Phase()
		}
		return res, te
	}
	for {
		readAt := clock.Now()
		job, err := w.Find(ctx)
		res.Reads++
		elapsed := clock.Now().Sub(start)
		if ctx.Err() != nil {
			return timeout(ctx.Err())
		}
		if w.OnRead != nil {
			w.OnRead(job, err, elapsed)
		}
		switch {
		case err == nil:
			last, lastErr, errorsInRow = job, nil, 0
			tflog.Debug(ctx, "read job", map[string]any{
				"job_id": job.ID(), "status": job.Status(), "phase": string(job.Phase()),
				"attempt": res.Reads, "elapsed": elapsed.Round(time.Millisecond).String(),
			})
			if job.Phase().Finished() {
				res.Job, res.Waited = job, elapsed
				return res, nil
			}
			if job.Phase() == service.Unknown && !warned {
				warned = true
				tflog.Warn(ctx, "job has a status that the API documentation does not list; still waiting", map[string]any{"status": job.Status()})
			}
		case hwc.IsNotFound(err):
			lastErr = err
			if elapsed >= w.NotFoundGrace {
				res.Waited = elapsed
				return res, &GoneError{Waited: elapsed, Err: err}
			}
			tflog.Debug(ctx, "job not found yet; reading again", map[string]any{"attempt": res.Reads, "elapsed": elapsed.String()})
		case !transient(err):
			res.Waited = elapsed
			return res, err
		default:
			lastErr = err
			errorsInRow++
			if errorsInRow >= maxErrors {
				res.Waited = elapsed
				return res, fmt.Errorf("%d reads in a row failed; the last: %w", errorsInRow, err)
			}
			tflog.Warn(ctx, "reading the job failed; reading again", map[string]any{"attempt": res.Reads, "error": err.Error()})
		}
		next := readAt.Add(sched.Interval(readAt.Sub(start), rnd()))
		if err := clock.Sleep(ctx, next.Sub(clock.Now())); err != nil {
			return timeout(err)
		}
	}
}

// transient reports whether reading again may cure err: a malformed body, a
// throttled or failing server, or a network error. The client has already
// retried these within the read; the waiter reads again on its schedule.
func transient(err error) bool {
	var apiErr *hwc.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Status == http.StatusTooManyRequests || apiErr.Status >= 500
	}
	return !hwc.IsCertificateError(err)
}
