package main

import (
	"strings"
	"testing"
	"time"
)

func TestTerraformHasActions(t *testing.T) {
	for version, want := range map[string]bool{
		"Terraform v1.15.9":               true,
		"Terraform v1.14.0":               true,
		"Terraform v2.0.1":                true,
		"Terraform v1.13.5":               false,
		"Terraform v1.9.8 on linux_amd64": false,
		"OpenTofu v1.10.6":                false,
		"":                                false,
		"something else":                  false,
	} {
		got, why := terraformHasActions(version)
		if got != want {
			t.Errorf("terraformHasActions(%q) = %v (%s), want %v", version, got, why, want)
		}
		if !got && why == "" {
			t.Errorf("terraformHasActions(%q): no reason given", version)
		}
	}
	if _, why := terraformHasActions("Terraform v1.13.5"); !strings.Contains(why, "1.14") || !strings.Contains(why, "v1.13.5") {
		t.Errorf("the reason should name the version found and the one needed: %q", why)
	}
}

// TestParseProgress: the action's lines are picked out of the CLI's
// output in order, other lines (and other actions') left out, and a line
// that repeats the one before but for the time waited is a heartbeat.
func TestParseProgress(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	out := []outputLine{
		{at(0), "Terraform will perform the following actions:"},
		{at(1), "Action started: action.hwcjobs_ecs_job_wait.x (triggered by CLI)"},
		{at(2), "Action action.hwcjobs_ecs_job_wait.x (triggered by CLI): ECS job wait-by-action: RUNNING, 0s"},
		{at(32), "Action action.hwcjobs_ecs_job_wait.x (triggered by CLI): ECS job wait-by-action: RUNNING, 30s"},
		{at(33), "Action action.hwcjobs_elb_job_wait.x (triggered by CLI): ELB job other: RUNNING, 31s"},
		{at(62), "Action action.hwcjobs_ecs_job_wait.x (triggered by CLI): ECS job wait-by-action: RUNNING, 1m0s\r"},
		{at(65), "Action action.hwcjobs_ecs_job_wait.x (triggered by CLI): ECS job wait-by-action: SUCCESS, 1m3s"},
		{at(66), "Action complete: action.hwcjobs_ecs_job_wait.x (triggered by CLI)"},
	}
	got := parseProgress(out)
	want := []struct {
		at        int
		text      string
		heartbeat bool
	}{
		{2, "ECS job wait-by-action: RUNNING, 0s", false},
		{32, "ECS job wait-by-action: RUNNING, 30s", true},
		{62, "ECS job wait-by-action: RUNNING, 1m0s", true},
		{65, "ECS job wait-by-action: SUCCESS, 1m3s", false},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		if got[i].text != w.text || got[i].heartbeat != w.heartbeat || !got[i].at.Equal(at(w.at)) {
			t.Errorf("line %d = %+v, want %+v", i, got[i], w)
		}
	}
	if d := longestSilence(got); d != 30*time.Second {
		t.Errorf("longestSilence = %s, want 30s", d)
	}
	if d := longestSilence(got[:1]); d != 0 {
		t.Errorf("longestSilence of one line = %s, want 0", d)
	}
}
