package main

import (
	"strings"
	"testing"
	"time"
)

// TestSimulateCredentialWait: the simulated wait of measure 6 runs on its
// manual clock, refreshes temporary credentials by the rule and never for
// a static source.
func TestSimulateCredentialWait(t *testing.T) {
	for src, want := range map[string][2]int{"AK/SK": {0, 0}, "metadata": {17, 0}, "assume_role over AK/SK": {0, 17}} {
		run, err := simulateCredentialWait(src, credLifetime, credWait, credEvery, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if run.metadata != want[0] || run.assumeRole != want[1] || run.rejected != 0 || run.reads != int(credWait/credEvery)+1 {
			t.Errorf("%s: %+v, want %d metadata and %d assume_role fetches, none rejected", src, run, want[0], want[1])
		}
		if len(run.cumulative) != run.reads {
			t.Errorf("%s: %d points for %d reads", src, len(run.cumulative), run.reads)
		}
	}
	if _, err := simulateCredentialWait("password", time.Minute, time.Minute, time.Minute, t.TempDir()); err == nil {
		t.Error("an unknown source was accepted")
	}
}

// TestCredentialWaitReport: the simulated part of measure 6 adds one met
// row per source and draws credentials.svg with a series per source and
// the target.
func TestCredentialWaitReport(t *testing.T) {
	r := &report{}
	if err := measureCredentialWait(&benchEnv{work: t.TempDir()}, r); err != nil {
		t.Fatal(err)
	}
	if len(r.rows) != len(credentialSources) {
		t.Fatalf("%d rows, want %d", len(r.rows), len(credentialSources))
	}
	for _, row := range r.rows {
		if row.met == nil || !*row.met {
			t.Errorf("row %q: %s not met", row.figure, row.value)
		}
	}
	if len(r.charts) != 1 || r.charts[0].name != "credentials.svg" {
		t.Fatalf("charts %v", r.charts)
	}
	svg := string(r.charts[0].svg)
	if n := strings.Count(svg, `class="series"`); n != len(credentialSources)+1 {
		t.Errorf("%d series drawn, want %d", n, len(credentialSources)+1)
	}
}
