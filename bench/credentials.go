package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/bench/chart"
)

// Measure 6: what each credential source costs.
//
// First, one provider process (one hwc client) waits two simulated hours,
// reading a job every 30 s, while the emulator issues temporary
// credentials that live 15 minutes: the refresh rule (fetch again when
// less than 10 minutes or less than half the lifetime remain, whichever is
// less) implies a fetch every 7.5 minutes, 17 over two hours, per
// temporary source; no request may be rejected. The clock is manual, so
// this takes seconds.
//
// Second, `terraform plan` of 200 data sources with assume_role beside the
// same plan with plain AK/SK: the agency's credentials are fetched once
// per provider process and shared, so the plan costs about the same.
const (
	credWait         = 2 * time.Hour
	credLifetime     = 15 * time.Minute
	credEvery        = 30 * time.Second
	credFetchTarget  = 17
	assumeRatioLimit = 1.05
)

func measureCredentials(env *benchEnv, r *report, runs int) error {
	if err := measureCredentialWait(env, r); err != nil {
		return err
	}
	return measureAssumeRolePlan(env, r, runs)
}

func measureCredentialWait(env *benchEnv, r *report) error {
	dir, err := os.MkdirTemp(env.work, "credentials-")
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "One provider process (one client of internal/hwc) reads a job every %s for a simulated %s against the in-process emulator, "+
		"whose temporary credentials (ECS metadata, assume_role) live %s; client and emulator share a manual clock. "+
		"Fetches are the credentials the emulator issued; rejected are its 401 answers. Target per temporary source: ≤ %d fetches "+
		"(a refresh every 7.5 minutes, less than half the lifetime left), 0 rejected.\n\n",
		credEvery, minutes(credWait), minutes(credLifetime), credFetchTarget)
	b.WriteString("| source | reads | metadata fetches | assume_role fetches | rejected | target | met |\n|---|---|---|---|---|---|---|\n")
	var series []chart.Series
	colors := []string{colorOurs, colorSecond, colorThird, "#9467bd", "#8c564b", "#e377c2"}
	for i, src := range credentialSources {
		run, err := simulateCredentialWait(src, credLifetime, credWait, credEvery, dir)
		if err != nil {
			return err
		}
		met := run.metadata <= credFetchTarget && run.assumeRole <= credFetchTarget && run.rejected == 0
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | ≤ %d per source, 0 rejected | %s |\n", src, run.reads, run.metadata, run.assumeRole, run.rejected, credFetchTarget, verdict(met))
		r.add("6", "credential fetches over a 2 h wait with 15 min credentials: "+src,
			fmt.Sprintf("%d metadata + %d assume_role, %d rejected", run.metadata, run.assumeRole, run.rejected), fmt.Sprintf("≤ %d per source, 0 rejected", credFetchTarget), ptr(met))
		r.meet("refresh temporary credentials at the rule's point only (internal/hwc tempSource), once per process, and before they expire")
		// One point every 2.5 minutes keeps the SVG small; a refresh every
		// 7.5 minutes still shows as a step.
		var pts []chart.Point
		for j, n := range run.cumulative {
			if j%5 == 0 || j == len(run.cumulative)-1 {
				pts = append(pts, chart.Point{X: (time.Duration(j) * credEvery).Minutes(), Y: float64(n)})
			}
		}
		series = append(series, chart.Series{Name: src, Points: pts, Color: colors[i%len(colors)]})
	}
	series = append(series, chart.Series{Name: fmt.Sprintf("target: %d per temporary source", credFetchTarget),
		Points: []chart.Point{{X: 0, Y: credFetchTarget}, {X: credWait.Minutes(), Y: credFetchTarget}}, Style: chart.Dashed, Color: colorLimit})
	fig := chart.Figure{
		Title: fmt.Sprintf("Credential fetches of one provider process over a %s wait, credentials living %s", minutes(credWait), minutes(credLifetime)),
		Panels: []chart.Panel{{
			Title:  "Cumulative fetches (the client's count; assume_role over metadata counts both)",
			X:      chart.Axis{Label: "simulated time waited (min)"},
			Y:      chart.Axis{Label: "credential fetches"},
			Series: series,
		}},
		Caption: "Static sources (AK/SK, token, profile) never fetch; metadata and assume_role fetch every 7.5 minutes, each temporary layer 17 times in two hours, with no request rejected.",
	}
	b.WriteString("\n" + r.figure("credentials.svg", fig) + "\n")
	r.section("6. Credential sources", b.String())
	return nil
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "not met"
}

// measureAssumeRolePlan times `terraform plan` of 200 hwcjobs_ecs_job with
// plain AK/SK and with assume_role over them, interleaved, and counts the
// agency credentials fetched per plan.
func measureAssumeRolePlan(env *benchEnv, r *report, runs int) error {
	srv, err := planEmulator(targetSize)
	if err != nil {
		return err
	}
	defer srv.stop()
	cli, err := env.cliConfig("credentials", env.plugins)
	if err != nil {
		return err
	}
	dir, err := env.writeConfig(fmt.Sprintf("credentials-plan-%d", targetSize), planConfig("hwcjobs_ecs_job", targetSize))
	if err != nil {
		return err
	}
	kinds := []struct {
		name string
		env  []string
	}{
		{"AK/SK", tfEnv(cli, srv.url)},
		{"assume_role over AK/SK", tfEnv(cli, srv.url, assumeRoleEnv...)},
	}
	walls := map[string][]time.Duration{}
	var fetches []int
	start := time.Now()
	for run := range runs {
		if elapsed := time.Since(start); run >= planMinRuns && elapsed+elapsed/time.Duration(run) > planBudget {
			logf("credentials: %d plan runs of %d fit the budget of %s", run, runs, planBudget)
			break
		}
		for _, k := range kinds {
			_, before := srv.credentialFetches()
			ctx, cancel := context.WithTimeout(context.Background(), planTimeout)
			wall, err := env.terraform(ctx, dir, k.env, "plan", "-input=false", "-lock=false", "-no-color")
			cancel()
			if err != nil {
				return err
			}
			walls[k.name] = append(walls[k.name], wall)
			if k.name != "AK/SK" {
				_, after := srv.credentialFetches()
				fetches = append(fetches, after-before)
			}
		}
	}
	plain, assumed := median(walls["AK/SK"]), median(walls["assume_role over AK/SK"])
	ratio := assumed.Seconds() / plain.Seconds()
	maxFetches := 0
	for _, f := range fetches {
		maxFetches = max(maxFetches, f)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n`terraform plan` of %d hwcjobs_ecs_job (project_id unset: looked up through IAM) with plain AK/SK and with "+
		"assume_role over the same keys (HW_ASSUME_ROLE_AGENCY_NAME, HW_ASSUME_ROLE_DOMAIN_NAME), median of %d interleaved runs.\n\n",
		targetSize, len(walls["AK/SK"]))
	b.WriteString("| credentials | median | every run (s) | agency credentials fetched per plan |\n|---|---|---|---|\n")
	fmt.Fprintf(&b, "| AK/SK | %s | %s | — |\n", secs(plain), durs(walls["AK/SK"]))
	fmt.Fprintf(&b, "| assume_role over AK/SK | %s | %s | %s |\n", secs(assumed), durs(walls["assume_role over AK/SK"]), ints(fetches))
	fmt.Fprintf(&b, "\nRatio: %.2f× (target ≤ %.2f×).\n", ratio, assumeRatioLimit)
	r.section("6b. Plan cost of assume_role", b.String())
	r.add("6", fmt.Sprintf("plan of %d data sources, assume_role vs AK/SK (median of %d)", targetSize, len(walls["AK/SK"])),
		fmt.Sprintf("%s vs %s = %.2f×", secs(assumed), secs(plain), ratio), fmt.Sprintf("≤ %.2f×", assumeRatioLimit), ptr(ratio <= assumeRatioLimit))
	r.meet("fetch the agency's credentials once per provider process and share them (no fetch per data source)")
	r.add("6", "agency credential fetches per plan of 200", ints(fetches), "1 (one per process that reads)", ptr(maxFetches == 1))
	r.meet("one assume_role per provider process, shared by every data source (singleflight in internal/hwc)")
	return nil
}
