package main

// The only file of bench that imports the provider's internal/jobs,
// internal/emulator, internal/hwc and internal/service (and the simulated
// clock of internal/testsupport): the measures use the small API below, so that
// moving or reshaping those packages changes this file alone.

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/testsupport"
)

// --- The poller on a simulated clock (testsupport.Simulate and friends). ---

// schedule is the poller's schedule.
type schedule = jobs.Schedule

// defaultSchedule is the provider's own schedule.
var defaultSchedule = jobs.DefaultSchedule

// simDurations are the job lengths the schedule measure waits for.
var simDurations = testsupport.SimDurations

// fixedSchedule reads every `every`, the first read after `every`.
func fixedSchedule(every time.Duration) schedule { return jobs.Schedule{Start: every, Max: every} }

// simResult is how the wait for one simulated job went.
type simResult struct {
	duration time.Duration // how long the job ran
	reads    int           // reads the waiter made
	lag      time.Duration // from the job's end to the read that saw it finished
}

// simulateJobs runs the real poller (jobs.Waiter) on a simulated clock for
// one job of each of simDurations: nothing is read for delay, then s is
// followed with jitter draws from rnd (nil: no jitter).
func simulateJobs(delay time.Duration, s schedule, rnd *rand.Rand) ([]simResult, error) {
	draw := func() float64 { return 0 }
	if rnd != nil {
		draw = rnd.Float64
	}
	res, err := testsupport.Simulate(delay, s, draw, testsupport.SimDurations)
	if err != nil {
		return nil, err
	}
	out := make([]simResult, len(res))
	for i, x := range res {
		out[i] = simResult{duration: x.Duration, reads: x.Reads, lag: x.Lag}
	}
	return out, nil
}

// simulateOne runs the real poller on a simulated clock for one job that
// finishes d after the first read, jitter drawn from rnd.
func simulateOne(d time.Duration, rnd *rand.Rand) (simResult, error) {
	res, err := testsupport.Simulate(0, jobs.DefaultSchedule, rnd.Float64, []time.Duration{d})
	if err != nil {
		return simResult{}, err
	}
	return simResult{duration: res[0].Duration, reads: res[0].Reads, lag: res[0].Lag}, nil
}

// --- The emulator, served on loopback in this process. ---

// emu is a running emulator.
type emu struct {
	srv  *emulator.Server
	url  string
	stop func()
}

// newEmulator starts an emulator on a free loopback port. If observe is
// set, it sees every API answer (status code and body) as it is sent, for
// measures that need to know when something was answered.
func newEmulator(observe func(r *http.Request, code int, body []byte)) (*emu, error) {
	srv := emulator.New(emulator.Options{})
	url, stop, err := serveLoopback(srv, observe)
	if err != nil {
		return nil, err
	}
	return &emu{srv: srv, url: url, stop: stop}, nil
}

// finishedJob adds a job of service (a name of benchServices) that has
// already succeeded, in the service's own succeeded status.
func (e *emu) finishedJob(name, id string) error {
	svc, err := lookupService(name)
	if err != nil {
		return err
	}
	_, err = e.srv.CreateJob(emulator.JobSpec{Service: svc.Name, JobID: id, Timeline: []emulator.Step{{Status: svc.StatusIn(service.Succeeded)}}})
	return err
}

// jobSucceedingAfter adds a job of service that runs from now and succeeds
// after `after`, in the service's own running and succeeded statuses.
func (e *emu) jobSucceedingAfter(name, id string, after time.Duration) error {
	svc, err := lookupService(name)
	if err != nil {
		return err
	}
	_, err = e.srv.CreateJob(emulator.JobSpec{Service: svc.Name, JobID: id, Timeline: []emulator.Step{
		{Status: svc.StatusIn(service.Running)}, {Status: svc.StatusIn(service.Succeeded), After: after},
	}})
	return err
}

// --- The services, from the provider's registry (service.All). ---

// benchService is what the measures need of one service.
type benchService struct {
	name      string // e.g. "sfs_turbo": the data source is hwcjobs_<name>_job
	host      string // the emulator's path prefix, e.g. "sfs-turbo"
	envVar    string // the provider's endpoint variable, e.g. HW_SFS_TURBO_ENDPOINT
	succeeded string // the status of a succeeded job
}

// benchServices is every service of the provider, in the registry's order.
func benchServices() []benchService {
	var out []benchService
	for _, svc := range service.All() {
		out = append(out, benchService{name: svc.Name, host: svc.Host, envVar: svc.EnvVar(), succeeded: svc.StatusIn(service.Succeeded)})
	}
	return out
}

func lookupService(name string) (*service.Service, error) {
	for _, svc := range service.All() {
		if svc.Name == name || svc.Host == name {
			return svc, nil
		}
	}
	return nil, fmt.Errorf("no service %q in the registry", name)
}

// rateLimit makes the emulator answer 429 beyond rps requests a second
// (token bucket of burst).
func (e *emu) rateLimit(rps float64, burst int) {
	e.srv.SetRateLimit(emulator.RateLimit{RPS: rps, Burst: burst})
}

// emuCounts is what the emulator was asked since the last reset.
type emuCounts struct {
	requests int            // API requests
	iam      int            // IAM project look-ups
	jobs     map[string]int // requests per job, keyed service + "/" + job id
	statuses map[int]int    // answers per HTTP status code
}

func (e *emu) counts() emuCounts {
	c := e.srv.Counters()
	return emuCounts{requests: c.Requests, iam: c.IAMCalls, jobs: c.Jobs, statuses: c.Statuses}
}

func (e *emu) resetCounts() { e.srv.ResetCounters() }

// credentialFetches counts the temporary credentials the emulator issued
// (metadata securitykey and IAM assume_role) since it started.
func (e *emu) credentialFetches() (metadata, assumeRole int) {
	s := e.srv.CredentialStats()
	return s.MetadataIssued, s.AssumeRoleIssued
}

// The environment variables of an assume_role of the emulator's demo agency.
var assumeRoleEnv = []string{
	"HW_ASSUME_ROLE_AGENCY_NAME=" + emulator.DemoAgencyName,
	"HW_ASSUME_ROLE_DOMAIN_NAME=" + emulator.DemoAgencyDomain,
}

// --- One client (internal/hwc) against the emulator, on a manual clock. ---

// credentialSources are the sources the credential measure compares.
var credentialSources = []string{"AK/SK", "token", "profile", "metadata", "assume_role over AK/SK", "assume_role over metadata"}

// credentialRun is a simulated wait of one client with one source.
type credentialRun struct {
	// metadata and assumeRole are the credentials the emulator issued.
	metadata, assumeRole int
	// rejected counts the 401 answers.
	rejected int
	// reads counts the job reads.
	reads int
	// cumulative is the client's own count of fetches after each read.
	cumulative []int
}

// manualClock is one clock shared by the client and the emulator's
// verifier (which judges X-Sdk-Date and the expiry of temporary keys).
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// simulateCredentialWait reads a job every `every` for `wait` on a manual
// clock, with one client (one provider process) of source, while the
// emulator issues temporary credentials that live `lifetime`. No time
// passes for real: the clock moves between reads.
func simulateCredentialWait(source string, lifetime, wait, every time.Duration, dir string) (credentialRun, error) {
	clk := &manualClock{t: time.Now().UTC().Truncate(time.Second)}
	srv := emulator.New(emulator.Options{VerifierClock: clk.now})
	srv.SetCredentialLifetime(lifetime)
	url, stop, err := serveLoopback(srv, nil)
	if err != nil {
		return credentialRun{}, err
	}
	defer stop()
	cfg := hwc.Config{
		Region:    emulator.DefaultRegion,
		ProjectID: emulator.DefaultProjectID,
		Endpoints: map[string]string{"ecs": url + "/ecs", "iam": url + "/iam"},
		// Always the emulator: the link-local metadata address is never asked.
		MetadataEndpoint: url + emulator.MetadataPrefix,
		MaxRetries:       2,
		RequestTimeout:   10 * time.Second,
		Now:              clk.now,
	}
	keys := func() { cfg.AccessKey, cfg.SecretKey = emulator.DemoAccessKey, emulator.DemoSecretKey }
	agency := &hwc.AssumeRole{AgencyName: emulator.DemoAgencyName, DomainName: emulator.DemoAgencyDomain}
	switch source {
	case "AK/SK":
		keys()
	case "token":
		cfg.AuthToken = emulator.DemoAuthToken
	case "profile":
		b, err := json.Marshal(map[string]any{"current": "bench", "profiles": []map[string]any{{
			"name": "bench", "mode": "AKSK", "accessKeyId": emulator.DemoAccessKey, "secretAccessKey": emulator.DemoSecretKey,
		}}})
		if err != nil {
			return credentialRun{}, err
		}
		cfg.SharedConfigFile = filepath.Join(dir, "hcloud-config.json")
		if err := os.WriteFile(cfg.SharedConfigFile, b, 0o600); err != nil {
			return credentialRun{}, err
		}
	case "metadata":
		cfg.UseECSMetadata = true
	case "assume_role over AK/SK":
		keys()
		cfg.AssumeRole = agency
	case "assume_role over metadata":
		cfg.UseECSMetadata = true
		cfg.AssumeRole = agency
	default:
		return credentialRun{}, fmt.Errorf("unknown credential source %q", source)
	}
	c, err := hwc.New(cfg)
	if err != nil {
		return credentialRun{}, err
	}
	req := hwc.Request{Service: "ecs", Path: "/v1/{project_id}/jobs/{job_id}", Params: map[string]string{"job_id": "ecs-running"}}
	var run credentialRun
	for elapsed := time.Duration(0); elapsed <= wait; elapsed += every {
		if _, err := c.Get(context.Background(), req); err != nil {
			return credentialRun{}, fmt.Errorf("%s at %s: %w", source, elapsed, err)
		}
		run.reads++
		run.cumulative = append(run.cumulative, int(c.CredentialFetches()))
		clk.advance(every)
	}
	st, counts := srv.CredentialStats(), srv.Counters()
	run.metadata, run.assumeRole, run.rejected = st.MetadataIssued, st.AssumeRoleIssued, counts.Statuses[http.StatusUnauthorized]
	return run, nil
}
