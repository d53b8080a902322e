package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/testsupport"
)

// simulate waits for a job of each of testsupport.SimDurations (see testsupport) and
// returns the reads and detection lag per job.
func simulate(t *testing.T, delay time.Duration, sched jobs.Schedule, rnd func() float64) (reads []int, lags []time.Duration) {
	t.Helper()
	results, err := testsupport.Simulate(delay, sched, rnd, testsupport.SimDurations)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		reads = append(reads, r.Reads)
		lags = append(lags, r.Lag)
	}
	return reads, lags
}

func sum(xs []int) (n int) {
	for _, x := range xs {
		n += x
	}
	return n
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func fixed(every time.Duration) jobs.Schedule { return jobs.Schedule{Start: every, Max: every} }

// TestScheduleTargets checks the poller against its targets, beside
// fixed 5 s polling after a 5 s delay (the official provider's faster
// setting): every job seen within 1 s + 10 % of its duration, fewer reads in
// all, a lower median lag. It holds for every jitter draw, not one lucky
// seed.
func TestScheduleTargets(t *testing.T) {
	refReads, refLags := simulate(t, 5*time.Second, fixed(5*time.Second), func() float64 { return 0 })
	if sum(refReads) != 214 {
		t.Fatalf("fixed 5 s schedule made %d reads, want the 214 the targets are stated against", sum(refReads))
	}
	for seed := uint64(0); seed < 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 42))
		reads, lags := simulate(t, 0, jobs.DefaultSchedule, rng.Float64)
		for i, d := range testsupport.SimDurations {
			if bound := time.Second + d/10; lags[i] > bound {
				t.Errorf("seed %d: job of %s seen %s late, over the %s bound", seed, d, lags[i], bound)
			}
		}
		if sum(reads) >= sum(refReads) {
			t.Errorf("seed %d: %d reads, not fewer than the fixed schedule's %d", seed, sum(reads), sum(refReads))
		}
		if median(lags) >= median(refLags) {
			t.Errorf("seed %d: median lag %s, not below the fixed schedule's %s", seed, median(lags), median(refLags))
		}
		if seed == 0 {
			var b strings.Builder
			fmt.Fprintf(&b, "%-8s %-16s %-16s\n", "job", "hwcjobs reads/lag", "fixed 5s reads/lag")
			for i, d := range testsupport.SimDurations {
				fmt.Fprintf(&b, "%-8s %3d / %-10s %3d / %s\n", d, reads[i], lags[i].Round(10*time.Millisecond), refReads[i], refLags[i])
			}
			fmt.Fprintf(&b, "total    %3d, median lag %s   %3d, median lag %s", sum(reads), median(lags).Round(10*time.Millisecond), sum(refReads), median(refLags))
			t.Logf("schedule on a fake clock (seed 0):\n%s", b.String())
		}
	}
}

func TestScheduleInterval(t *testing.T) {
	s := jobs.DefaultSchedule
	for _, tt := range []struct {
		elapsed time.Duration
		u       float64
		want    time.Duration
	}{
		{0, 0, time.Second},
		{10 * time.Second, 0, 1500 * time.Millisecond},
		{40 * time.Second, 0, 3 * time.Second},
		{100 * time.Second, 0, 9 * time.Second},
		{time.Hour, 0, time.Minute}, // capped
		{0, 0.5, 900 * time.Millisecond},
		{time.Hour, 0.999999, 48*time.Second + 60*time.Microsecond}, // at most 20 % off
	} {
		got := s.Interval(tt.elapsed, tt.u)
		if diff := got - tt.want; diff < -time.Millisecond || diff > time.Millisecond {
			t.Errorf("Interval(%s, %v) = %s, want %s", tt.elapsed, tt.u, got, tt.want)
		}
	}
}

func notFound() error {
	return &hwc.APIError{Method: "GET", Path: "/v1/p/jobs/j", Status: http.StatusNotFound, Code: "Ecs.0114", Message: "not found"}
}

func TestWaitOutcomes(t *testing.T) {
	t.Run("failed job is returned, not an error", func(t *testing.T) {
		c := testsupport.NewSimClock()
		res, err := jobs.Waiter{Find: testsupport.SimJob(c, 10*time.Second, "FAIL"), Clock: c}.Wait(context.Background())
		if err != nil || res.Job.Phase() != service.Failed {
			t.Fatalf("got %v, %v", res.Job, err)
		}
	})
	t.Run("not found within the grace period is read again", func(t *testing.T) {
		c := testsupport.NewSimClock()
		ok := testsupport.SimJob(c, 5*time.Second, "SUCCESS")
		n := 0
		find := func(ctx context.Context) (*jobs.Job, error) {
			n++
			if n <= 2 {
				return nil, notFound()
			}
			return ok(ctx)
		}
		res, err := jobs.Waiter{Find: find, Clock: c, NotFoundGrace: time.Minute}.Wait(context.Background())
		if err != nil || res.Job.Status() != "SUCCESS" || res.Reads < 3 {
			t.Fatalf("got %+v, %v", res, err)
		}
	})
	t.Run("not found after the grace period is gone", func(t *testing.T) {
		c := testsupport.NewSimClock()
		res, err := jobs.Waiter{Find: func(context.Context) (*jobs.Job, error) { return nil, notFound() }, Clock: c, NotFoundGrace: time.Minute}.Wait(context.Background())
		var gone *jobs.GoneError
		if !errors.As(err, &gone) || !hwc.IsNotFound(err) || res.Waited < time.Minute || res.Waited > 2*time.Minute {
			t.Fatalf("got %+v, %v", res, err)
		}
		if !strings.Contains(err.Error(), "deleted") {
			t.Errorf("error %q should say the job may have been deleted", err)
		}
	})
	t.Run("timeout reports the last status, time and reads", func(t *testing.T) {
		c := testsupport.NewSimClock()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		inner := testsupport.SimJob(c, time.Hour, "SUCCESS")
		start := c.Now()
		find := func(ctx context.Context) (*jobs.Job, error) {
			if c.Now().Sub(start) > 30*time.Second {
				cancel() // the timeout, on the fake clock
			}
			return inner(ctx)
		}
		_, err := jobs.Waiter{Find: find, Clock: c}.Wait(ctx)
		var te *jobs.TimeoutError
		if !errors.As(err, &te) || te.LastStatus != "RUNNING" || te.LastPhase != service.Running || te.Reads < 10 || te.Waited < 30*time.Second {
			t.Fatalf("got %#v", err)
		}
		if !strings.Contains(err.Error(), "last status RUNNING (phase running)") || !strings.Contains(err.Error(), fmt.Sprintf("%d reads", te.Reads)) {
			t.Errorf("error %q lacks the last status or the reads", err)
		}
	})
	t.Run("unknown status keeps polling", func(t *testing.T) {
		c := testsupport.NewSimClock()
		n := 0
		find := func(context.Context) (*jobs.Job, error) {
			n++
			status := "PAUSED"
			if n == 4 {
				status = "SUCCESS"
			}
			return &jobs.Job{Service: service.ECS, Data: jobs.Record{"status": status, "phase": string(service.ECS.PhaseOf(status))}}, nil
		}
		res, err := jobs.Waiter{Find: find, Clock: c}.Wait(context.Background())
		if err != nil || res.Reads != 4 {
			t.Fatalf("got %+v, %v", res, err)
		}
	})
	t.Run("transient errors are read through, up to MaxErrors in a row", func(t *testing.T) {
		c := testsupport.NewSimClock()
		ok := testsupport.SimJob(c, 0, "SUCCESS")
		n := 0
		find := func(ctx context.Context) (*jobs.Job, error) {
			n++
			switch n {
			case 1:
				return nil, &hwc.APIError{Status: 503}
			case 2:
				return nil, fmt.Errorf("GET /x: %w", jobs.ErrMalformed)
			case 3:
				return nil, errors.New("connection reset")
			}
			return ok(ctx)
		}
		if res, err := (jobs.Waiter{Find: find, Clock: c}).Wait(context.Background()); err != nil || res.Reads != 4 {
			t.Fatalf("got %+v, %v", res, err)
		}
		n = 0
		always := func(context.Context) (*jobs.Job, error) { n++; return nil, &hwc.APIError{Status: 429} }
		_, err := jobs.Waiter{Find: always, Clock: c, MaxErrors: 3}.Wait(context.Background())
		if err == nil || n != 3 || !strings.Contains(err.Error(), "3 reads in a row failed") {
			t.Fatalf("got %d reads, %v", n, err)
		}
	})
	t.Run("an error reading again cannot cure ends the wait at once", func(t *testing.T) {
		c := testsupport.NewSimClock()
		n := 0
		find := func(context.Context) (*jobs.Job, error) {
			n++
			return nil, &hwc.APIError{Status: 401, Code: "APIGW.0301"}
		}
		_, err := jobs.Waiter{Find: find, Clock: c}.Wait(context.Background())
		if err == nil || n != 1 || !strings.Contains(err.Error(), "APIGW.0301") {
			t.Fatalf("got %d reads, %v", n, err)
		}
	})
	t.Run("cancel stops at once", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		find := func(context.Context) (*jobs.Job, error) {
			n++
			cancel()
			return nil, context.Canceled
		}
		_, err := jobs.Waiter{Find: find, Clock: jobs.RealClock{}}.Wait(ctx)
		var te *jobs.TimeoutError
		if !errors.As(err, &te) || !te.Cancelled || n != 1 {
			t.Fatalf("got %d reads, %#v", n, err)
		}
	})
}

func TestRealClockSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (jobs.RealClock{}).Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on a cancelled context = %v", err)
	}
	if err := (jobs.RealClock{}).Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

// TestWaitOnRead: OnRead hears of every read, job or error, with the time
// waited, before the wait decides.
func TestWaitOnRead(t *testing.T) {
	c := testsupport.NewSimClock()
	job := testsupport.SimJob(c, 10*time.Second, "SUCCESS")
	failed := false
	find := func(ctx context.Context) (*jobs.Job, error) {
		if !failed {
			failed = true
			return nil, &hwc.APIError{Status: 503}
		}
		return job(ctx)
	}
	type read struct {
		status  string
		err     bool
		elapsed time.Duration
	}
	var reads []read
	start := c.Now()
	res, err := jobs.Waiter{Find: find, Clock: c, Rand: func() float64 { return 0 }, OnRead: func(j *jobs.Job, err error, elapsed time.Duration) {
		if elapsed != c.Now().Sub(start) {
			t.Errorf("OnRead told %s, the clock says %s", elapsed, c.Now().Sub(start))
		}
		r := read{err: err != nil, elapsed: elapsed}
		if j != nil {
			r.status = j.Status()
		}
		reads = append(reads, r)
	}}.Wait(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(reads) != res.Reads || !reads[0].err || reads[0].status != "" || reads[len(reads)-1].status != "SUCCESS" || reads[len(reads)-1].elapsed != res.Waited {
		t.Errorf("OnRead heard %+v for %d reads ending at %s", reads, res.Reads, res.Waited)
	}
}
