package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The action measure (8): one ECS job of actionJobLength waited by the
// wait resource (terraform apply) and, at the same time, another by the
// wait action (terraform apply -invoke). Both run the same poller, so
// their reads and detection lag should agree within the poller's own
// jitter; the action also sends progress lines, which the CLI prints.
const (
	actionJobLength = 60 * time.Second
	// actionHeartbeat is the action's promise: a progress line at least
	// this often (internal/provider's progressEvery).
	actionHeartbeat = 30 * time.Second
	// actionSlack is what the heartbeat target allows for the read in
	// flight and the CLI's own scheduling.
	actionSlack = 2 * time.Second
	// actionDraws are the simulated waits that give the poller's range.
	actionDraws = 200
	// actionWaitType is the resource and the action measured.
	actionWaitType = "hwcjobs_ecs_job_wait"
)

// actionsMinimum is the first Terraform with actions.
var actionsMinimum = [2]int{1, 14}

// terraformHasActions reports whether the CLI whose `terraform version`
// first line is version runs actions, and if not, why.
func terraformHasActions(version string) (bool, string) {
	m := regexp.MustCompile(`v(\d+)\.(\d+)\.\d+`).FindStringSubmatch(version)
	if m == nil {
		if version == "" {
			return false, "`terraform version` said nothing"
		}
		return false, fmt.Sprintf("cannot read the version of %q", version)
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	if major > actionsMinimum[0] || (major == actionsMinimum[0] && minor >= actionsMinimum[1]) {
		return true, ""
	}
	return false, fmt.Sprintf("%s has no actions (they need Terraform ≥ %d.%d; set TERRAFORM to one)", strings.TrimSpace(version), actionsMinimum[0], actionsMinimum[1])
}

// progressRE matches the CLI's line for a progress message of action x.
var progressRE = regexp.MustCompile(`^Action action\.` + actionWaitType + `\.x \(triggered by [^)]*\): (.*)$`)

// progressElapsed is the time waited that ends each progress message.
var progressElapsed = regexp.MustCompile(`, (\d+h)?(\d+m)?\d+s$`)

// progressLine is one progress message of the action.
type progressLine struct {
	at        time.Time
	text      string
	heartbeat bool // says what the line before said (only the time waited differs)
}

// parseProgress picks the action's progress messages out of the CLI's
// output, in order, marking heartbeats: lines that repeat the one before
// but for the time waited.
func parseProgress(lines []outputLine) []progressLine {
	var out []progressLine
	prev := ""
	for _, l := range lines {
		m := progressRE.FindStringSubmatch(strings.TrimRight(l.text, "\r"))
		if m == nil {
			continue
		}
		seen := progressElapsed.ReplaceAllString(m[1], "")
		out = append(out, progressLine{at: l.at, text: m[1], heartbeat: len(out) > 0 && seen == prev})
		prev = seen
	}
	return out
}

// longestSilence is the longest time between consecutive lines.
func longestSilence(ls []progressLine) time.Duration {
	var d time.Duration
	for i := 1; i < len(ls); i++ {
		d = max(d, ls[i].at.Sub(ls[i-1].at))
	}
	return d
}

// actionWait is how the wait for one job went, seen at the emulator.
type actionWait struct {
	jobID     string
	created   time.Time
	wall      time.Duration
	reads     int
	firstRead time.Time
	detected  time.Time // the answer to the first read that showed it succeeded
	lines     []outputLine
	err       error
}

func (w actionWait) lag() time.Duration { return w.detected.Sub(w.created.Add(actionJobLength)) }

func measureAction(env *benchEnv, r *report) error {
	ok, why := terraformHasActions(env.tfVersion)
	if !ok {
		r.section("8. Wait action", "Not measured: "+why+".\n")
		r.add("8", "wait action beside the wait resource", "not measured: "+why, "—", nil)
		return nil
	}
	succeeded := ""
	for _, s := range benchServices() {
		if s.name == "ecs" {
			succeeded = s.succeeded
		}
	}
	answers := &answerLog{}
	srv, err := newEmulator(answers.observe)
	if err != nil {
		return err
	}
	defer srv.stop()
	cli, err := env.cliConfig("action", env.plugins)
	if err != nil {
		return err
	}
	tfenv := tfEnv(cli, srv.url)
	const header = `terraform {
  required_providers {
    hwcjobs = { source = "hwcjobs/hwcjobs" }
  }
}

provider "hwcjobs" {}

`
	res, act := &actionWait{jobID: "wait-by-resource"}, &actionWait{jobID: "wait-by-action"}
	resDir, err := env.writeConfig("action-resource", header+fmt.Sprintf("resource %q \"x\" {\n  job_id = %q\n}\n", actionWaitType, res.jobID))
	if err != nil {
		return err
	}
	actDir, err := env.writeConfig("action-action", header+fmt.Sprintf("action %q \"x\" {\n  config {\n    job_id = %q\n  }\n}\n", actionWaitType, act.jobID))
	if err != nil {
		return err
	}
	runs := []struct {
		w    *actionWait
		dir  string
		args []string
	}{
		{res, resDir, []string{"apply", "-auto-approve", "-input=false", "-lock=false", "-no-color"}},
		{act, actDir, []string{"apply", "-invoke=action." + actionWaitType + ".x", "-auto-approve", "-input=false", "-lock=false", "-no-color"}},
	}
	// Both at once, each job created just before its CLI starts: the
	// measure takes one job's length, not two.
	var wg sync.WaitGroup
	for _, run := range runs {
		w := run.w
		w.created = time.Now()
		if err := srv.jobSucceedingAfter("ecs", w.jobID, actionJobLength); err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), actionJobLength+3*time.Minute)
			defer cancel()
			w.wall, w.lines, w.err = env.terraformLines(ctx, run.dir, tfenv, run.args...)
		}()
	}
	wg.Wait()
	for _, w := range []*actionWait{res, act} {
		if w.err != nil {
			return w.err
		}
	}
	c := srv.counts()
	events := answers.all()
	for _, w := range []*actionWait{res, act} {
		w.reads = c.jobs["ecs/"+w.jobID]
		for _, ev := range events {
			if ev.jobID != w.jobID {
				continue
			}
			if w.firstRead.IsZero() {
				w.firstRead = ev.at
			}
			if w.detected.IsZero() && ev.status == succeeded {
				w.detected = ev.at
			}
		}
	}
	for _, w := range []*actionWait{res, act} {
		if w.detected.IsZero() {
			return fmt.Errorf("job %s was never seen %s (%d reads)", w.jobID, succeeded, w.reads)
		}
	}

	// The poller alone on a simulated clock, for a job that finishes when
	// each of the two did after its first read: the range its jitter gives.
	rnd := rand.New(rand.NewPCG(7, 14))
	loReads, hiReads, loLag, hiLag := int(^uint(0)>>1), 0, time.Duration(1<<62), time.Duration(0)
	for _, w := range []*actionWait{res, act} {
		left := w.created.Add(actionJobLength).Sub(w.firstRead)
		for range actionDraws {
			s, err := simulateOne(left, rnd)
			if err != nil {
				return err
			}
			loReads, hiReads = min(loReads, s.reads), max(hiReads, s.reads)
			loLag, hiLag = min(loLag, s.lag), max(hiLag, s.lag)
		}
	}

	progress := parseProgress(act.lines)
	heartbeats := 0
	for _, p := range progress {
		if p.heartbeat {
			heartbeats++
		}
	}
	var span time.Duration
	if len(progress) > 1 {
		span = progress[len(progress)-1].at.Sub(progress[0].at)
	}
	perMinute := 0.0
	if span > 0 {
		perMinute = float64(len(progress)) / span.Minutes()
	}
	silence := longestSilence(progress)

	var b strings.Builder
	fmt.Fprintf(&b, "One ECS job of %s waited by the `%s` resource (`terraform apply`) and another, at the same time, by the `%s` action (`terraform apply -invoke=action.%s.x`, %s), "+
		"each job created just before its CLI started. Reads are the emulator's counters; detection lag is the emulator's answer to the first read that showed `%s`, minus the job's end. "+
		"The range is the same poller on a simulated clock, %d jitter draws for each job's time left at its first read.\n\n",
		actionJobLength, actionWaitType, actionWaitType, actionWaitType, env.tfVersion, succeeded, actionDraws)
	b.WriteString("| | wait resource | wait action | poller alone (simulated range) |\n|---|---|---|---|\n")
	fmt.Fprintf(&b, "| CLI wall time | %s | %s | |\n", secs(res.wall), secs(act.wall))
	fmt.Fprintf(&b, "| first read after the job's creation | %s | %s | |\n", secs(res.firstRead.Sub(res.created)), secs(act.firstRead.Sub(act.created)))
	fmt.Fprintf(&b, "| job reads | %d | %d | %d–%d |\n", res.reads, act.reads, loReads, hiReads)
	fmt.Fprintf(&b, "| detection lag | %s | %s | %s–%s |\n", secs(res.lag()), secs(act.lag()), secs(loLag), secs(hiLag))
	fmt.Fprintf(&b, "\nThe action's progress lines, as the CLI printed them (%d, of which heartbeats %d; %.1f a minute over the %s from the first to the last; longest silence %s), time from the job's creation:\n\n",
		len(progress), heartbeats, perMinute, secs(span), secs(silence))
	for _, p := range progress {
		fmt.Fprintf(&b, "- +%s `%s`\n", secs(p.at.Sub(act.created)), p.text)
	}
	r.section("8. Wait action", b.String())

	inReads := func(n int) bool { return n >= loReads && n <= hiReads+1 }
	r.add("8", fmt.Sprintf("reads of one %s job: wait resource, wait action", actionJobLength),
		fmt.Sprintf("%d, %d (poller alone %d–%d)", res.reads, act.reads, loReads, hiReads), "both in the poller's range (+1)", ptr(inReads(res.reads) && inReads(act.reads)))
	r.meet("the action and the resource on the same poller and schedule, with no read of their own besides (internal/provider/job_wait_action.go)")
	inLag := func(d time.Duration) bool { return d >= loLag-time.Second/2 && d <= hiLag+time.Second/2 }
	r.add("8", fmt.Sprintf("detection lag of one %s job: wait resource, wait action", actionJobLength),
		fmt.Sprintf("%s, %s (poller alone %s–%s)", secs(res.lag()), secs(act.lag()), secs(loLag), secs(hiLag)), "both in the poller's range (±0.5 s)", ptr(inLag(res.lag()) && inLag(act.lag())))
	r.meet("the same schedule for the action as for the resource, and no extra sleep between the action's progress pieces")
	r.add("8", "wait action: progress lines a minute",
		fmt.Sprintf("%.1f (%d lines in %s, heartbeats %d), longest silence %s", perMinute, len(progress), secs(span), heartbeats, secs(silence)),
		fmt.Sprintf("a line at least every %g s (+%g s)", actionHeartbeat.Seconds(), actionSlack.Seconds()), ptr(len(progress) >= 2 && silence <= actionHeartbeat+actionSlack))
	r.meet("a heartbeat that counts from the last line sent and cuts the schedule's sleeps short enough (internal/provider/progress.go)")
	return nil
}
