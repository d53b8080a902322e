package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// planSizes are the numbers of data sources (or resources) planned; 200 is
// the one with targets, the others show how cost grows.
var planSizes = []int{1, 10, 100, 200, 500, 1000}

const targetSize = 200

// planBudget bounds the plan measure: once a run would take it past this,
// no further run starts (at least planMinRuns are made). Each plan is also
// stopped after planTimeout.
const (
	planBudget  = 5 * time.Minute
	planMinRuns = 3
	planTimeout = 2 * time.Minute
)

// planKinds are what is planned, N times each: our data source, the time
// provider's time_static (a framework provider that makes no network call)
// and the built-in terraform_data. The first is ours and the second the
// reference of every ratio (planChart relies on it).
var planKinds = []string{"hwcjobs_ecs_job", "time_static", "terraform_data"}

// planConfig is a configuration of n of kind. Each hwcjobs data source
// reads its own job, bench-ecs-0000 onwards; project_id is left unset so that
// the provider looks it up through IAM.
func planConfig(kind string, n int) string {
	switch kind {
	case "hwcjobs_ecs_job":
		return fmt.Sprintf(`terraform {
  required_providers {
    hwcjobs = { source = "hwcjobs/hwcjobs" }
  }
}

provider "hwcjobs" {}

data "hwcjobs_ecs_job" "j" {
  count  = %d
  job_id = format("bench-ecs-%%04d", count.index)
}
`, n)
	case "time_static":
		return fmt.Sprintf(`terraform {
  required_providers {
    time = { source = "hashicorp/time" }
  }
}

resource "time_static" "t" {
  count = %d
}
`, n)
	}
	return fmt.Sprintf("resource \"terraform_data\" \"d\" {\n  count = %d\n  input = count.index\n}\n", n)
}

// planEmulator is an emulator holding n finished ECS jobs and, for the
// plan over every service, each service's share of targetSize finished
// jobs (planJobID), served on loopback.
func planEmulator(n int) (*emu, error) {
	e, err := newEmulator(nil)
	if err != nil {
		return nil, err
	}
	want := map[string]int{"ecs": n}
	services := benchServices()
	for i, c := range planSplit(targetSize, len(services)) {
		want[services[i].name] = max(want[services[i].name], c)
	}
	for _, s := range services {
		for i := range want[s.name] {
			if err := e.finishedJob(s.name, planJobID(s.name, i)); err != nil {
				e.stop()
				return nil, err
			}
		}
	}
	return e, nil
}

// benchJobReads counts the requests for the plans' jobs, per service.
func benchJobReads(c emuCounts) map[string]int {
	n := map[string]int{}
	for k, v := range c.jobs {
		if svc, id, ok := strings.Cut(k, "/"); ok && strings.HasPrefix(id, "bench-"+svc+"-") {
			n[svc] += v
		}
	}
	return n
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

type planStats struct {
	walls      []time.Duration
	reads, iam []int            // hwcjobs only, per run
	perService []map[string]int // hwcjobs only, reads per service, per run
}

// measurePlans times `terraform plan` of n of each kind, runs times,
// interleaved (each run plans every size and kind once), and takes medians.
func measurePlans(env *benchEnv, r *report, runs int) error {
	srv, err := planEmulator(planSizes[len(planSizes)-1])
	if err != nil {
		return err
	}
	defer srv.stop()
	cli, err := env.cliConfig("plan", env.plugins)
	if err != nil {
		return err
	}
	tfenv := tfEnv(cli, srv.url)
	dirs := map[string]string{}
	stats := map[string]*planStats{}
	key := func(kind string, n int) string { return fmt.Sprintf("%s-%d", kind, n) }
	for _, n := range planSizes {
		for _, kind := range planKinds {
			dir, err := env.writeConfig("plan-"+key(kind, n), planConfig(kind, n))
			if err != nil {
				return err
			}
			dirs[key(kind, n)], stats[key(kind, n)] = dir, &planStats{}
		}
	}

	start, asked := time.Now(), runs
	for run := range asked {
		if elapsed := time.Since(start); run >= planMinRuns && elapsed+elapsed/time.Duration(run) > planBudget {
			logf("plan: %d runs of %d fit the budget of %s", run, asked, planBudget)
			runs = run
			break
		}
		logf("plan run %d of %d", run+1, asked)
		for _, n := range planSizes {
			for _, kind := range planKinds {
				if err := planOnce(env, srv, tfenv, dirs[key(kind, n)], stats[key(kind, n)], kind != "time_static" && kind != "terraform_data"); err != nil {
					return err
				}
			}
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "`terraform plan` (no state, no init: both providers through dev_overrides, built stripped the same way) against the in-process emulator, "+
		"median wall time of %d interleaved runs; each hwcjobs data source reads its own finished job, project_id unset. Job reads and IAM calls are the emulator's counters, per run.\n\n", runs)
	b.WriteString("| N | hwcjobs_ecs_job | time_static | terraform_data | hwcjobs / time | job reads per run | IAM calls per run |\n|---|---|---|---|---|---|---|\n")
	for _, n := range planSizes {
		h, t, d := stats[key("hwcjobs_ecs_job", n)], stats[key("time_static", n)], stats[key("terraform_data", n)]
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %.2f× | %s | %s |\n", n, secs(median(h.walls)), secs(median(t.walls)), secs(median(d.walls)),
			median(h.walls).Seconds()/median(t.walls).Seconds(), ints(h.reads), ints(h.iam))
	}
	b.WriteString("\nEvery run (seconds):\n\n")
	for _, n := range planSizes {
		for _, kind := range planKinds {
			fmt.Fprintf(&b, "- %d × %s: %s\n", n, kind, durs(stats[key(kind, n)].walls))
		}
	}
	pd := planData{sizes: planSizes, kinds: planKinds, median: map[string][]time.Duration{}, runs: runs, target: 1.25, targetSize: targetSize}
	for _, kind := range planKinds {
		for _, n := range planSizes {
			pd.median[kind] = append(pd.median[kind], median(stats[key(kind, n)].walls))
		}
	}
	b.WriteString("\n" + r.figure("plan.svg", planChart(pd)) + "\n")
	r.section("2. Plan cost", b.String())

	h, t := stats[key("hwcjobs_ecs_job", targetSize)], stats[key("time_static", targetSize)]
	ratio := median(h.walls).Seconds() / median(t.walls).Seconds()
	r.add("2", fmt.Sprintf("plan of 200 hwcjobs_ecs_job vs 200 time_static (median of %d)", runs),
		fmt.Sprintf("%s vs %s = %.2f×", secs(median(h.walls)), secs(median(t.walls)), ratio), "≤ 1.25×", ptr(ratio <= 1.25))
	r.meet("a cheaper read per data source: profile the provider during the plan of 200 (signing, decoding and mapping each job are measure 5)")
	exact, maxIAM := true, 0
	for i := range h.reads {
		exact = exact && h.reads[i] == targetSize
		maxIAM = max(maxIAM, h.iam[i])
	}
	r.add("2", "job reads per plan of 200", ints(h.reads), "exactly 200", ptr(exact))
	r.meet("one read per data source: look for retries (the emulator's statuses) or a read repeated between validate and plan")
	r.add("2", "IAM calls per plan of 200", ints(h.iam), "≤ 1", ptr(maxIAM <= 1))
	r.meet("the project id looked up once per provider process and shared by every data source")

	return nil
}

// planOnce runs one `terraform plan` in dir and adds its wall time to st
// and, for a plan of hwcjobs data sources, the emulator's counts.
func planOnce(env *benchEnv, srv *emu, tfenv []string, dir string, st *planStats, counted bool) error {
	srv.resetCounts()
	ctx, cancel := context.WithTimeout(context.Background(), planTimeout)
	wall, err := env.terraform(ctx, dir, tfenv, "plan", "-input=false", "-lock=false", "-no-color")
	cancel()
	if err != nil {
		return err
	}
	st.walls = append(st.walls, wall)
	if counted {
		c := srv.counts()
		per := benchJobReads(c)
		st.reads, st.iam, st.perService = append(st.reads, sum(per)), append(st.iam, c.iam), append(st.perService, per)
	}
	return nil
}

func ints(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

func durs(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = fmt.Sprintf("%.2f", d.Seconds())
	}
	return strings.Join(s, ", ")
}
