package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/testsupport"
)

func TestProgressLine(t *testing.T) {
	ecs := func(status string, subs ...string) *jobs.Job {
		data := jobs.Record{"job_id": "j", "status": status, "phase": string(service.ECS.PhaseOf(status))}
		if subs != nil {
			list := []jobs.Record{}
			for _, s := range subs {
				list = append(list, jobs.Record{"status": s, "phase": string(service.ECS.PhaseOf(s))})
			}
			data["entities"] = jobs.Record{"sub_jobs": list}
		}
		return &jobs.Job{Service: service.ECS, Data: data}
	}
	for _, tc := range []struct {
		id      string
		job     *jobs.Job
		err     error
		elapsed time.Duration
		want    string
	}{
		{"4010b39b7f244c2c9ef16a0d0b1e2c3d", ecs("RUNNING", "SUCCESS", "RUNNING"), nil, 2*time.Minute + 10*time.Second,
			"ECS job 4010b39b...: RUNNING, 1 of 2 sub-jobs finished, 2m10s"},
		{"4010b39b-7f24-4c2c-9ef1-6a0d0b1e2c3d", ecs("INIT", "INIT", "FAIL", "SUCCESS"), nil, 1400 * time.Millisecond,
			"ECS job 4010b39b...: INIT, 2 of 3 sub-jobs finished, 1s"},
		// No sub-job count where the job lists none.
		{"ecs-running", ecs("RUNNING"), nil, 0, "ECS job ecs-running: RUNNING, 0s"},
		{"ecs-running", ecs("RUNNING", []string{}...), nil, time.Hour + 2*time.Second, "ECS job ecs-running: RUNNING, 1h0m2s"},
		{"late", nil, &hwc.APIError{Status: 404, Code: "Ecs.0114"}, 3 * time.Second, "ECS job late: not found yet, 3s"},
		{"flaky", nil, fmt.Errorf("GET /v1/p/jobs/flaky: %w", errors.New("connection refused\nsecond line")), 5 * time.Second,
			"ECS job flaky: reading failed (GET /v1/p/jobs/flaky: connection refused), 5s"},
	} {
		if got := progressLine(service.ECS, tc.id, describeRead(tc.job, tc.err), tc.elapsed); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}

// sent is one progress line and when, on the simulated clock, it was sent.
type sent struct {
	at   time.Duration
	line string
}

// TestProgressHeartbeat runs the real poller on the simulated clock for an
// ECS job of 10 minutes (INIT for 5 s, a sub-job done at 2 min): a line
// goes out at each change, the line of a state comes no more than once
// per 30 s, and no 30 s pass without a line, even when the schedule's
// reads are a minute apart.
func TestProgressHeartbeat(t *testing.T) {
	c := testsupport.NewSimClock()
	start := c.Now()
	const id = "4010b39b7f244c2c9ef16a0d0b1e2c3d"
	find := func(context.Context) (*jobs.Job, error) {
		el := c.Now().Sub(start)
		status, subA, subB := "RUNNING", "RUNNING", "RUNNING"
		switch {
		case el < 5*time.Second:
			status, subA, subB = "INIT", "INIT", "INIT"
		case el >= 10*time.Minute:
			status, subA, subB = "SUCCESS", "SUCCESS", "SUCCESS"
		case el >= 2*time.Minute:
			subA = "SUCCESS"
		}
		sub := func(s string) jobs.Record { return jobs.Record{"status": s, "phase": string(service.ECS.PhaseOf(s))} }
		return &jobs.Job{Service: service.ECS, Data: jobs.Record{
			"job_id": id, "status": status, "phase": string(service.ECS.PhaseOf(status)),
			"entities": jobs.Record{"sub_jobs": []jobs.Record{sub(subA), sub(subB)}},
		}}, nil
	}
	var got []sent
	p := newProgress(service.ECS, id, c, progressEvery, func(line string) { got = append(got, sent{c.Now().Sub(start), line}) })
	w := jobs.Waiter{Find: find, Clock: p, OnRead: p.onRead, Rand: func() float64 { return 0.5 }}
	res, err := w.Wait(t.Context())
	if err != nil || res.Job.Status() != "SUCCESS" {
		t.Fatalf("the wait ended with %v, %v", res.Job, err)
	}
	t.Logf("%d reads, %d lines over %s", res.Reads, len(got), res.Waited)

	const prefix = "ECS job 4010b39b...: "
	changes := []struct {
		state string
		from  time.Duration // when the job entered it
	}{
		{"INIT, 0 of 2 sub-jobs finished", 0},
		{"RUNNING, 0 of 2 sub-jobs finished", 5 * time.Second},
		{"RUNNING, 1 of 2 sub-jobs finished", 2 * time.Minute},
		{"SUCCESS, 2 of 2 sub-jobs finished", 10 * time.Minute},
	}
	next := 0
	for i, s := range got {
		if want := fmt.Sprintf(", %s", s.at.Round(time.Second)); !strings.HasSuffix(s.line, want) {
			t.Errorf("line %q sent at %s does not end with %q", s.line, s.at, want)
		}
		state := strings.TrimPrefix(stripElapsed(s.line), prefix)
		if i > 0 {
			gap := s.at - got[i-1].at
			if gap > progressEvery {
				t.Errorf("%s without a line before %q", gap, s.line)
			}
			if prev := strings.TrimPrefix(stripElapsed(got[i-1].line), prefix); prev == state && gap < progressEvery {
				t.Errorf("%q repeated after %s", state, gap)
			}
		}
		if next < len(changes) && state == changes[next].state {
			// The first line of a state: sent by the first read after the
			// change, within the schedule's interval.
			if lag := s.at - changes[next].from; lag < 0 || lag > jobs.DefaultSchedule.Interval(s.at, 0) {
				t.Errorf("%q sent %s after the change", state, lag)
			}
			next++
			continue
		}
		if next == 0 || state != changes[next-1].state {
			t.Errorf("line %d %q is out of order; lines:\n%s", i, s.line, lines(got))
		}
	}
	if next != len(changes) {
		t.Errorf("saw %d of the %d states; lines:\n%s", next, len(changes), lines(got))
	}
	if last := got[len(got)-1]; last.at != res.Waited {
		t.Errorf("the last line was sent at %s, the wait ended at %s", last.at, res.Waited)
	}
}

func lines(ss []sent) string {
	var b strings.Builder
	for _, s := range ss {
		fmt.Fprintf(&b, "%10s %s\n", s.at, s.line)
	}
	return b.String()
}

// TestProgressSleepHonoursCancel: a heartbeat sleep stops when the context
// ends.
func TestProgressSleepHonoursCancel(t *testing.T) {
	c := testsupport.NewSimClock()
	p := newProgress(service.ECS, "j", c, progressEvery, func(string) {})
	p.onRead(&jobs.Job{Service: service.ECS, Data: jobs.Record{"status": "RUNNING", "phase": "running"}}, nil, 0)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := p.Sleep(ctx, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep returned %v on a cancelled context", err)
	}
}
