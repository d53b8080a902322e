package main

import (
	"fmt"
	"strings"
	"time"
)

// The plan over every service (7): targetSize data sources spread over
// every service of the registry (service.All, through benchServices), each
// reading its own finished job of its service, against targetSize
// time_static, interleaved like measure 2. Nothing here names a service:
// a service added to the registry is planned, seeded and given its
// endpoint (tfEnv) by itself.

// planSplit spreads n over k services as evenly as it goes, the first
// services taking one more.
func planSplit(n, k int) []int {
	out := make([]int, k)
	for i := range out {
		out[i] = n / k
		if i < n%k {
			out[i]++
		}
	}
	return out
}

// planJobID is the id of the i-th finished job the plans read of a service.
func planJobID(svc string, i int) string { return fmt.Sprintf("bench-%s-%04d", svc, i) }

// planAllConfig is a configuration of n data sources spread over services
// (planSplit): hwcjobs_<name>_job "j" with a count, each reading
// planJobID(name, count.index); project_id unset as in planConfig.
func planAllConfig(services []benchService, n int) string {
	var b strings.Builder
	b.WriteString(`terraform {
  required_providers {
    hwcjobs = { source = "hwcjobs/hwcjobs" }
  }
}

provider "hwcjobs" {}
`)
	for i, c := range planSplit(n, len(services)) {
		name := services[i].name
		fmt.Fprintf(&b, "\ndata \"hwcjobs_%s_job\" \"j\" {\n  count  = %d\n  job_id = format(\"bench-%s-%%04d\", count.index)\n}\n", name, c, name)
	}
	return b.String()
}

// planSpread says how planSplit spreads n over services, e.g. "ecs 29, elb 29".
func planSpread(services []benchService, n int) string {
	parts := make([]string, len(services))
	for i, c := range planSplit(n, len(services)) {
		parts[i] = fmt.Sprintf("%s %d", services[i].name, c)
	}
	return strings.Join(parts, ", ")
}

// measurePlanAll times `terraform plan` of the configuration over every
// service and of targetSize time_static, runs times interleaved, and
// counts each service's job reads and the IAM calls per plan.
func measurePlanAll(env *benchEnv, r *report, runs int) error {
	services := benchServices()
	srv, err := planEmulator(0)
	if err != nil {
		return err
	}
	defer srv.stop()
	cli, err := env.cliConfig("plan-all", env.plugins)
	if err != nil {
		return err
	}
	tfenv := tfEnv(cli, srv.url)
	allDir, err := env.writeConfig(fmt.Sprintf("plan-all-%d", targetSize), planAllConfig(services, targetSize))
	if err != nil {
		return err
	}
	timeDir, err := env.writeConfig(fmt.Sprintf("plan-all-time-%d", targetSize), planConfig("time_static", targetSize))
	if err != nil {
		return err
	}
	all, t := &planStats{}, &planStats{}
	start, asked := time.Now(), runs
	for run := range asked {
		if elapsed := time.Since(start); run >= planMinRuns && elapsed+elapsed/time.Duration(run) > planBudget {
			logf("plan over every service: %d runs of %d fit the budget of %s", run, asked, planBudget)
			runs = run
			break
		}
		logf("plan over every service, run %d of %d", run+1, asked)
		if err := planOnce(env, srv, tfenv, allDir, all, true); err != nil {
			return err
		}
		if err := planOnce(env, srv, tfenv, timeDir, t, false); err != nil {
			return err
		}
	}

	ratio := median(all.walls).Seconds() / median(t.walls).Seconds()
	split := planSplit(targetSize, len(services))
	exact, oneIAM := true, true
	for i := range all.reads {
		for j, s := range services {
			exact = exact && all.perService[i][s.name] == split[j]
		}
		oneIAM = oneIAM && all.iam[i] == 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, "`terraform plan` of %d data sources spread over the %d services of the registry (%s), each reading its own finished job of its service (in the service's own succeeded status), project_id unset, "+
		"against %d time_static; median of %d interleaved runs, set up as in measure 2.\n\n", targetSize, len(services), planSpread(services, targetSize), targetSize, runs)
	b.WriteString("| plan | median | every run (s) | job reads per run | IAM calls per run |\n|---|---|---|---|---|\n")
	fmt.Fprintf(&b, "| %d over every service | %s | %s | %s | %s |\n", targetSize, secs(median(all.walls)), durs(all.walls), ints(all.reads), ints(all.iam))
	fmt.Fprintf(&b, "| %d time_static | %s | %s | | |\n", targetSize, secs(median(t.walls)), durs(t.walls))
	b.WriteString("\nJob reads per service and run: ")
	var per []string
	for j, s := range services {
		var got []int
		for i := range all.perService {
			got = append(got, all.perService[i][s.name])
		}
		per = append(per, fmt.Sprintf("%s %s (of %d)", s.name, ints(got), split[j]))
	}
	b.WriteString(strings.Join(per, "; ") + ".\n")
	r.section("7. Plan over every service", b.String())

	r.add("7", fmt.Sprintf("plan of 200 data sources over all %d services vs 200 time_static (median of %d)", len(services), runs),
		fmt.Sprintf("%s vs %s = %.2f×", secs(median(all.walls)), secs(median(t.walls)), ratio), "≤ 1.25×", ptr(ratio <= 1.25))
	r.meet("a cheaper read per data source in the services that cost most: compare the plan of 200 ECS data sources (measure 2) and each service's decoding")
	r.add("7", "job reads per plan over all services", ints(all.reads), "exactly 200, each service its share", ptr(exact))
	r.meet("one read per data source in every service: look for a service whose reads retry or repeat")
	r.add("7", "IAM calls per plan over all services", ints(all.iam), "exactly 1", ptr(oneIAM))
	r.meet("one project look-up per provider process, shared by the data sources of every service")
	return nil
}
