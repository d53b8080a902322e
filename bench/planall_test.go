package main

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestPlanSplit(t *testing.T) {
	for _, c := range []struct {
		n, k int
		want []int
	}{
		{200, 7, []int{29, 29, 29, 29, 28, 28, 28}},
		{200, 4, []int{50, 50, 50, 50}},
		{3, 5, []int{1, 1, 1, 0, 0}},
	} {
		if got := planSplit(c.n, c.k); !slices.Equal(got, c.want) {
			t.Errorf("planSplit(%d, %d) = %v, want %v", c.n, c.k, got, c.want)
		}
	}
}

// TestPlanAllConfig: the plan over every service names a data source of
// each service of the registry, the counts add up to the plan's size, and
// each reads the ids the emulator is given (planJobID).
func TestPlanAllConfig(t *testing.T) {
	services := benchServices()
	if len(services) < 7 {
		t.Fatalf("the registry has %d services, want at least 7", len(services))
	}
	cfg := planAllConfig(services, targetSize)
	re := regexp.MustCompile(`data "hwcjobs_(\w+)_job" "j" \{\n  count  = (\d+)\n  job_id = format\("([^"]+)", count.index\)\n\}`)
	m := re.FindAllStringSubmatch(cfg, -1)
	if len(m) != len(services) {
		t.Fatalf("%d data blocks for %d services:\n%s", len(m), len(services), cfg)
	}
	total := 0
	for i, s := range services {
		if m[i][1] != s.name {
			t.Errorf("block %d is of %s, want %s", i, m[i][1], s.name)
		}
		n, _ := strconv.Atoi(m[i][2])
		total += n
		if got := strings.Replace(m[i][3], "%04d", "0007", 1); got != planJobID(s.name, 7) {
			t.Errorf("%s reads %s as job 7, the emulator holds %s", s.name, got, planJobID(s.name, 7))
		}
	}
	if total != targetSize {
		t.Errorf("the counts add up to %d, want %d", total, targetSize)
	}
	if !strings.Contains(cfg, "provider \"hwcjobs\" {}") || strings.Contains(cfg, "project_id") {
		t.Errorf("the provider block should leave project_id unset:\n%s", cfg)
	}
}

// TestEndpointEnv: every service of the registry gets its endpoint
// variable, under its host label.
func TestEndpointEnv(t *testing.T) {
	env := endpointEnv(benchServices(), "http://127.0.0.1:1")
	for _, s := range benchServices() {
		want := s.envVar + "=http://127.0.0.1:1/" + s.host
		if !slices.Contains(env, want) {
			t.Errorf("%s: no %s in %v", s.name, want, env)
		}
	}
	if !slices.Contains(env, "HW_SFS_TURBO_ENDPOINT=http://127.0.0.1:1/sfs-turbo") {
		t.Errorf("sfs_turbo's endpoint: %v", env)
	}
	tf := tfEnv("cli.tfrc", "http://127.0.0.1:1")
	for _, kv := range env {
		if !slices.Contains(tf, kv) {
			t.Errorf("tfEnv lacks %s", kv)
		}
	}
}

// TestFinishedJobEveryService: the emulator takes a finished job of every
// service in the service's own succeeded status.
func TestFinishedJobEveryService(t *testing.T) {
	e, err := newEmulator(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.stop()
	for _, s := range benchServices() {
		if err := e.finishedJob(s.name, planJobID(s.name, 0)); err != nil {
			t.Errorf("%s: %v", s.name, err)
		}
		if err := e.jobSucceedingAfter(s.name, "later-"+s.name, 0); err != nil {
			t.Errorf("%s: %v", s.name, err)
		}
	}
}
