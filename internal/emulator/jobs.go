package emulator

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// seedFS holds the four example response bodies, copied verbatim from the
// seed pages; they are served byte for byte.
//
//go:embed seeds/*.json
var seedFS embed.FS

// phase is a status normalised across services; the emulator needs it to
// know when a job has finished (end_time, errors, TTL).
type phase int

const (
	phaseUnknown phase = iota
	phasePending
	phaseRunning
	phaseSucceeded
	phaseFailed
)

func (p phase) final() bool { return p == phaseSucceeded || p == phaseFailed }

// service describes one job API: where it lives, its status words, its
// time format, its JSON and its 404. Adding a service is one more entry in
// services.
type service struct {
	name     string   // path prefix and name in ids, admin calls and counters
	pattern  []string // path segments after the prefix; "{project}" and "{job}" are captured
	seedFile string
	layout   string // time format of begin_time and end_time (UTC)

	statuses                          []string // documented words, in the order fixed jobs are made
	pending, running, success, failed string   // the words a default timeline and fixed sub-jobs use
	phases                            map[string]phase

	jobType, subJobType        string // defaults for timed jobs
	errorCode, failReason      string // defaults for a failed timed job and fixed failed jobs
	subErrorCode, subFailError string // fixed failed sub-jobs

	render   func(svc *service, s *snapshot, projectID, requestID string) []byte
	notFound func(jobID, requestID string) []byte
	nulls    func(jobID string) []byte // a job whose optional fields are all null or ""
}

func (svc *service) phase(status string) phase { return svc.phases[status] }

// format writes t in the service's own format, or in the snapshot's
// override (SDRS jobs with numeric offsets).
func (svc *service) format(t time.Time, s *snapshot) string {
	if s.layout != "" {
		return t.In(s.loc).Format(s.layout)
	}
	return t.UTC().Format(svc.layout)
}

var services = []*service{
	{
		name:     "ecs",
		pattern:  []string{"v1", "{project}", "jobs", "{job}"},
		seedFile: "seeds/ecs.json",
		layout:   "2006-01-02T15:04:05.000Z",
		statuses: []string{"INIT", "PENDING_PAYMENT", "RUNNING", "SUCCESS", "FAIL"},
		pending:  "INIT", running: "RUNNING", success: "SUCCESS", failed: "FAIL",
		phases: map[string]phase{"INIT": phasePending, "PENDING_PAYMENT": phasePending,
			"RUNNING": phaseRunning, "SUCCESS": phaseSucceeded, "FAIL": phaseFailed},
		jobType: "createServer", subJobType: "createSingleServer",
		errorCode: "Ecs.0013", failReason: "Insufficient EIP quota.",
		subErrorCode: "Ecs.0610", subFailError: "The EIP quota of the sub-job's server is exceeded.",
		render:   renderECS,
		notFound: notFoundECS,
		nulls: func(id string) []byte {
			return fmt.Appendf(nil, `{"status":"SUCCESS","entities":{"server_id":null,"nic_id":"","sub_jobs_total":null},"job_id":%s,"job_type":null,"begin_time":null,"end_time":"","error_code":null,"fail_reason":""}`, jsonString(id))
		},
	},
	{
		name:     "elb",
		pattern:  []string{"v3", "{project}", "elb", "jobs", "{job}"},
		seedFile: "seeds/elb.json",
		layout:   "2006-01-02T15:04:05Z",
		statuses: []string{"INIT", "RUNNING", "ROLLBACKING", "SUCCESS", "COMPLETE", "FAIL", "ROLLBACK_FAIL", "CANCEL"},
		pending:  "INIT", running: "RUNNING", success: "SUCCESS", failed: "FAIL",
		phases: map[string]phase{"INIT": phasePending, "RUNNING": phaseRunning, "ROLLBACKING": phaseRunning,
			"SUCCESS": phaseSucceeded, "COMPLETE": phaseSucceeded,
			"FAIL": phaseFailed, "ROLLBACK_FAIL": phaseFailed, "CANCEL": phaseFailed},
		jobType: "UPGRADE", subJobType: "UPGRADE_INIT",
		errorCode: "ELB.1003", failReason: "Upgrade of the load balancer failed.",
		subErrorCode: "ELB.1004", subFailError: "Traffic switch timed out.",
		render:   renderELB,
		notFound: notFoundELB,
		nulls: func(id string) []byte {
			return fmt.Appendf(nil, `{"job":{"status":"SUCCESS","begin_time":"","end_time":null,"job_id":%s,"resource_id":null,"job_type":"","error_code":null,"error_msg":"","project_id":null,"sub_jobs":null},"request_id":null}`, jsonString(id))
		},
	},
	{
		name:     "sdrs",
		pattern:  []string{"v1", "{project}", "jobs", "{job}"},
		seedFile: "seeds/sdrs.json",
		layout:   "2006-01-02T15:04:05.000Z",
		statuses: []string{"INIT", "RUNNING", "SUCCESS", "FAIL"},
		pending:  "INIT", running: "RUNNING", success: "SUCCESS", failed: "FAIL",
		phases: map[string]phase{"INIT": phasePending, "RUNNING": phaseRunning,
			"SUCCESS": phaseSucceeded, "FAIL": phaseFailed},
		jobType: "createProtectedInstanceNoCG", subJobType: "attachReplicationPairNew",
		errorCode: "SDRS.1015", failReason: "Failed to create the protected instance.",
		subErrorCode: "SDRS.0513", subFailError: "The replication pair could not be attached.",
		render:   renderSDRS,
		notFound: notFoundSDRS,
		nulls: func(id string) []byte {
			return fmt.Appendf(nil, `{"status":"SUCCESS","entities":{"replication_pair_id":null,"volume_ids":"","server_group_id":null,"protected_instance_id":"","native_server_id":null,"nic_id":null},"job_id":%s,"job_type":null,"begin_time":"","end_time":null,"error_code":null,"fail_reason":null}`, jsonString(id))
		},
	},
	{
		name:     "sfs-turbo",
		pattern:  []string{"v1", "{project}", "sfs-turbo", "jobs", "{job}"},
		seedFile: "seeds/sfs_turbo.json",
		layout:   "2006-01-02 15:04:05",
		statuses: []string{"waiting", "running", "success", "failed"},
		pending:  "waiting", running: "running", success: "success", failed: "failed",
		phases: map[string]phase{"waiting": phasePending, "running": phaseRunning,
			"success": phaseSucceeded, "failed": phaseFailed},
		jobType: "bind_ldap", subJobType: "bind_ldap_config",
		errorCode: "SFS.TURBO.0111", failReason: "Failed to bind the LDAP configuration.",
		subErrorCode: "SFS.TURBO.0112", subFailError: "The LDAP server is unreachable.",
		render:   renderSFSTurbo,
		notFound: notFoundSFSTurbo,
		nulls: func(id string) []byte {
			return fmt.Appendf(nil, `{"job_id":%s,"status":"success","job_type":null,"begin_time":"","end_time":null,"error_code":null,"fail_reason":"","sub_jobs":null}`, jsonString(id))
		},
	},
}

// serviceByName accepts "sfs_turbo" (the provider's endpoint key) as well.
func serviceByName(name string) *service {
	name = strings.ReplaceAll(strings.ToLower(name), "_", "-")
	for _, svc := range services {
		if svc.name == name {
			return svc
		}
	}
	return nil
}

// ServiceNames lists the job services the emulator speaks, as used in
// paths, fault matches, job specs and counters.
func ServiceNames() []string {
	out := make([]string, len(services))
	for i, svc := range services {
		out[i] = svc.name
	}
	return out
}

// SeedJobIDs maps each service to the job id of its seed example.
var SeedJobIDs = map[string]string{
	"ecs":       "2c9eb2c5544cbf6101544f0602af2b4f",
	"elb":       "ef6da45b-35d9-4c18-8c35-0b80d94ab9e6",
	"sdrs":      "0000000062db92d70162db9d200f000a",
	"sfs-turbo": "26f6b565-xxxx-XXXX-xxxx-03f0bd975433",
}

// FixedJobID names the always-present job of service in status, e.g.
// FixedJobID("ecs", "PENDING_PAYMENT") == "ecs-pending-payment".
func FixedJobID(service, status string) string {
	return service + "-" + strings.ReplaceAll(strings.ToLower(status), "_", "-")
}

// Suffixes of the special fixed jobs every service has, beside one job per
// documented status: FixedJobID(service, suffix) names them.
const (
	JobUndocumented = "undocumented"  // status PAUSED, a word no page documents
	JobMalformed    = "malformed"     // 200 with a truncated JSON body
	JobWrongShape   = "wrong-shape"   // 200 with valid JSON of another shape
	JobNulls        = "nulls"         // every optional field null or ""
	JobEmptySubJobs = "empty-subjobs" // "sub_jobs": []
)

// Step is one point of a timed job's timeline: the job shows Status from
// After (measured from its creation on the job clock) until the next step.
type Step struct {
	Status string
	After  time.Duration
}

type stepJSON struct {
	Status string          `json:"status"`
	After  json.RawMessage `json:"after,omitempty"`
}

// MarshalJSON writes after as a Go duration string.
func (s Step) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Status string `json:"status"`
		After  string `json:"after"`
	}{s.Status, s.After.String()})
}

// UnmarshalJSON reads after as a Go duration string ("1.5s") or a number
// of seconds.
func (s *Step) UnmarshalJSON(b []byte) error {
	var raw stepJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	d, err := parseDurationJSON(raw.After)
	if err != nil {
		return fmt.Errorf("timeline step %q: %w", raw.Status, err)
	}
	*s = Step{Status: raw.Status, After: d}
	return nil
}

func parseDurationJSON(raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var str string
	if err := json.Unmarshal(raw, &str); err == nil {
		return time.ParseDuration(str)
	}
	var secs float64
	if err := json.Unmarshal(raw, &secs); err != nil {
		return 0, fmt.Errorf("duration %s is neither a string like \"1.5s\" nor a number of seconds", raw)
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// JobSpec describes a job that moves through its statuses over time.
type JobSpec struct {
	// Service is ecs, elb, sdrs or sfs-turbo.
	Service string `json:"service"`
	// JobID defaults to a random UUID.
	JobID string `json:"job_id,omitempty"`
	// JobType defaults to the service's usual one (createServer, UPGRADE, ...).
	JobType string `json:"job_type,omitempty"`
	// Timeline defaults to the service's pending status at 0, running at 1s
	// and success at 3s. Steps must be in order of After.
	Timeline []Step `json:"timeline,omitempty"`
	// ErrorCode and FailReason are shown once the job has failed; ErrorMsg
	// is accepted as ELB's name for FailReason.
	ErrorCode  string `json:"error_code,omitempty"`
	FailReason string `json:"fail_reason,omitempty"`
	ErrorMsg   string `json:"error_msg,omitempty"`
	// SubJobs are rendered in order; a sub-job without a timeline follows
	// the job's.
	SubJobs []SubJobSpec `json:"sub_jobs,omitempty"`
	// NotFoundReads makes the first N reads answer the service's 404, as a
	// job that is not yet visible right after creation.
	NotFoundReads int `json:"not_found_reads,omitempty"`
}

// SubJobSpec describes one sub-job of a timed job.
type SubJobSpec struct {
	JobType    string `json:"job_type,omitempty"`
	Timeline   []Step `json:"timeline,omitempty"`
	ErrorCode  string `json:"error_code,omitempty"`
	FailReason string `json:"fail_reason,omitempty"`
	ErrorMsg   string `json:"error_msg,omitempty"`
}

// ErrJobExists is returned by CreateJob for a job id already in use.
var ErrJobExists = errors.New("job already exists")

// snapshot is a job (or sub-job) as it stands at one instant, before it is
// rendered in its service's JSON.
type snapshot struct {
	id, jobType, status   string
	begin, end            time.Time // end is zero while the job is unfinished
	errorCode, failReason string
	ent                   entities
	subs                  []snapshot // nil: no sub_jobs key or an empty list, per service

	// layout and loc override the service's time format (SDRS offsets).
	layout string
	loc    *time.Location
}

// entities are the ids a job acts on; each service renders its own subset.
type entities struct {
	serverID, nicID, errorcodeMessage                                              string // ECS
	resourceID, resourceType                                                       string // ELB
	replicationPairID, volumeIDs, serverGroupID, protectedInstanceID, nativeServer string // SDRS (+ nicID)
}

// job is one entry of the emulator's job table.
type job struct {
	svc   *service
	id    string
	raw   []byte    // served verbatim (seeds and deliberately broken bodies)
	fixed *snapshot // never changes
	timed *timedJob // moves along its timeline
}

type timedJob struct {
	spec         JobSpec
	created      time.Time
	ent          entities
	subIDs       []string
	subEnt       []entities
	notFoundLeft int
}

// at returns the timeline's status at elapsed, when that status was
// reached, and whether it is final.
func (svc *service) at(timeline []Step, created time.Time, elapsed time.Duration) (status string, end time.Time, final bool) {
	i := 0
	for j, st := range timeline {
		if st.After <= elapsed {
			i = j
		}
	}
	st := timeline[i]
	if st.After <= elapsed && svc.phase(st.Status).final() {
		return st.Status, created.Add(st.After), true
	}
	return st.Status, time.Time{}, false
}

// snapshot renders a timed job as it stands at now.
func (t *timedJob) snapshot(svc *service, now time.Time) (snapshot, bool) {
	elapsed := now.Sub(t.created)
	status, end, final := svc.at(t.spec.Timeline, t.created, elapsed)
	s := snapshot{id: t.spec.JobID, jobType: t.spec.JobType, status: status, begin: t.created, end: end, ent: t.ent}
	if svc.phase(status) == phaseFailed {
		s.errorCode, s.failReason = t.spec.ErrorCode, t.spec.FailReason
	}
	s.subs = []snapshot{}
	for i, sub := range t.spec.SubJobs {
		st, subEnd, _ := svc.at(sub.Timeline, t.created, elapsed)
		ss := snapshot{id: t.subIDs[i], jobType: sub.JobType, status: st, begin: t.created, end: subEnd, ent: t.subEnt[i]}
		if svc.phase(st) == phaseFailed {
			ss.errorCode, ss.failReason = sub.ErrorCode, sub.FailReason
			ss.ent.errorcodeMessage = sub.FailReason
		}
		s.subs = append(s.subs, ss)
	}
	return s, final
}

// newTimedJob checks and completes spec.
func newTimedJob(spec JobSpec, now time.Time) (*service, *timedJob, error) {
	svc := serviceByName(spec.Service)
	if svc == nil {
		return nil, nil, fmt.Errorf("unknown service %q (want one of %s)", spec.Service, strings.Join(ServiceNames(), ", "))
	}
	spec.Service = svc.name
	if spec.JobID == "" {
		spec.JobID = newUUID()
	}
	if strings.TrimSpace(spec.JobID) == "" || strings.ContainsAny(spec.JobID, "/?#") {
		return nil, nil, fmt.Errorf("job id %q cannot be used in a path", spec.JobID)
	}
	if spec.JobType == "" {
		spec.JobType = svc.jobType
	}
	if spec.FailReason == "" {
		spec.FailReason = spec.ErrorMsg
	}
	if len(spec.Timeline) == 0 {
		spec.Timeline = svc.defaultTimeline()
	}
	if err := checkTimeline(spec.Timeline); err != nil {
		return nil, nil, fmt.Errorf("job %s: %w", spec.JobID, err)
	}
	if svc.phase(spec.Timeline[len(spec.Timeline)-1].Status) == phaseFailed && spec.ErrorCode == "" && spec.FailReason == "" {
		spec.ErrorCode, spec.FailReason = svc.errorCode, svc.failReason
	}
	t := &timedJob{created: now, notFoundLeft: spec.NotFoundReads, ent: svc.entitiesFor(spec.JobID)}
	subs := make([]SubJobSpec, len(spec.SubJobs))
	for i, sub := range spec.SubJobs {
		if sub.JobType == "" {
			sub.JobType = svc.subJobType
		}
		if sub.FailReason == "" {
			sub.FailReason = sub.ErrorMsg
		}
		if len(sub.Timeline) == 0 {
			sub.Timeline = spec.Timeline
		}
		if err := checkTimeline(sub.Timeline); err != nil {
			return nil, nil, fmt.Errorf("job %s sub-job %d: %w", spec.JobID, i, err)
		}
		if svc.phase(sub.Timeline[len(sub.Timeline)-1].Status) == phaseFailed && sub.ErrorCode == "" && sub.FailReason == "" {
			sub.ErrorCode, sub.FailReason = svc.subErrorCode, svc.subFailError
		}
		subs[i] = sub
		t.subIDs = append(t.subIDs, SubJobID(svc.name, spec.JobID, i))
		t.subEnt = append(t.subEnt, svc.entitiesFor(fmt.Sprintf("%s/sub/%d", spec.JobID, i)))
	}
	spec.SubJobs = subs
	t.spec = spec
	return svc, t, nil
}

func checkTimeline(tl []Step) error {
	for i, st := range tl {
		if st.Status == "" {
			return fmt.Errorf("timeline step %d has no status", i)
		}
		if st.After < 0 || (i > 0 && st.After < tl[i-1].After) {
			return fmt.Errorf("timeline step %d (%s at %s) is out of order", i, st.Status, st.After)
		}
	}
	return nil
}

func (svc *service) defaultTimeline() []Step {
	return []Step{{svc.pending, 0}, {svc.running, time.Second}, {svc.success, 3 * time.Second}}
}

// entitiesFor derives stable, plausible ids from seed.
func (svc *service) entitiesFor(seed string) entities {
	return entities{
		serverID:            fakeUUID("server", seed),
		nicID:               fakeUUID("nic", seed),
		resourceID:          fakeUUID("loadbalancer", seed),
		resourceType:        "loadbalancer",
		replicationPairID:   fakeUUID("pair", seed),
		volumeIDs:           fakeUUID("vol-a", seed) + "," + fakeUUID("vol-b", seed),
		serverGroupID:       fakeUUID("group", seed),
		protectedInstanceID: fakeUUID("instance", seed),
		nativeServer:        fakeUUID("native", seed),
	}
}

// SubJobID is the id of sub-job i (from 0) of timed job jobID of service:
// derived from the job's id, so that tests know it without reading the job.
func SubJobID(service, jobID string, i int) string {
	svc := serviceByName(service)
	if svc == nil {
		return ""
	}
	return svc.subJobID(fmt.Sprintf("%s/sub/%d", jobID, i))
}

// subJobID follows the service's own id style: 32 hex digits for ECS and
// SDRS, a UUID for ELB and SFS Turbo.
func (svc *service) subJobID(seed string) string {
	if svc.name == "ecs" || svc.name == "sdrs" {
		return strings.ReplaceAll(fakeUUID("job", seed), "-", "")
	}
	return fakeUUID("job", seed)
}

func fakeUUID(kind, seed string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + seed))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

// fixedEpoch is when every fixed job began.
var fixedEpoch = time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)

// fixedJobs builds the jobs every emulator starts with: the seed, one job
// per documented status and the special ones.
func (svc *service) fixedJobs() ([]*job, error) {
	seed, err := seedFS.ReadFile(svc.seedFile)
	if err != nil {
		return nil, err
	}
	var probe struct {
		JobID string `json:"job_id"`
		Job   *struct {
			JobID string `json:"job_id"`
		} `json:"job"`
	}
	if err := json.Unmarshal(seed, &probe); err != nil {
		return nil, fmt.Errorf("seed %s: %w", svc.seedFile, err)
	}
	seedID := probe.JobID
	if probe.Job != nil {
		seedID = probe.Job.JobID
	}
	jobs := []*job{{svc: svc, id: seedID, raw: seed}}

	for _, status := range svc.statuses {
		s := svc.fixedSnapshot(FixedJobID(svc.name, status), status)
		switch {
		case svc.name == "sdrs" && status == svc.success:
			s.layout, s.loc = "2006-01-02T15:04:05.000-07:00", time.FixedZone("CST", 8*3600)
		case svc.name == "sdrs" && status == svc.failed:
			s.layout, s.loc = "2006-01-02T15:04:05.000-0700", time.FixedZone("CST", 8*3600)
		}
		jobs = append(jobs, &job{svc: svc, id: s.id, fixed: &s})
	}

	undocumented := svc.fixedSnapshot(FixedJobID(svc.name, JobUndocumented), "PAUSED")
	empty := svc.fixedSnapshot(FixedJobID(svc.name, JobEmptySubJobs), svc.success)
	empty.subs = []snapshot{}
	whole := svc.fixedSnapshot(FixedJobID(svc.name, JobMalformed), svc.success)
	body := svc.render(svc, &whole, "0605767ea300d5762fd2c0070d1a2b3c", "0123456789abcdef0123456789abcdef")
	var wrongShape []byte
	if svc.name == "elb" {
		wrongShape = []byte(`{"jobs":[{"job_id":"elb-wrong-shape","status":"SUCCESS"}],"request_id":"0123456789abcdef0123456789abcdef"}`)
	} else {
		wrongShape = []byte(`{"jobs":[]}`)
	}
	jobs = append(jobs,
		&job{svc: svc, id: undocumented.id, fixed: &undocumented},
		&job{svc: svc, id: empty.id, fixed: &empty},
		&job{svc: svc, id: whole.id, raw: body[:len(body)/2]},
		&job{svc: svc, id: FixedJobID(svc.name, JobWrongShape), raw: wrongShape},
		&job{svc: svc, id: FixedJobID(svc.name, JobNulls), raw: svc.nulls(FixedJobID(svc.name, JobNulls))},
	)
	return jobs, nil
}

// fixedSnapshot makes a job frozen in status with two sub-jobs: the first
// done (or pending with the job), the second sharing the job's fate.
func (svc *service) fixedSnapshot(id, status string) snapshot {
	ph := svc.phase(status)
	s := snapshot{id: id, jobType: svc.jobType, status: status, begin: fixedEpoch, ent: svc.entitiesFor(id)}
	if ph.final() {
		s.end = fixedEpoch.Add(2*time.Minute + 3456*time.Millisecond)
	}
	if ph == phaseFailed {
		s.errorCode, s.failReason = svc.errorCode, svc.failReason
	}
	first, second := svc.success, status
	switch ph {
	case phasePending:
		first, second = svc.pending, svc.pending
	case phaseSucceeded:
		second = svc.success
	}
	for i, st := range []string{first, second} {
		sub := snapshot{
			id:      svc.subJobID(fmt.Sprintf("%s/%d", id, i)),
			jobType: svc.subJobType,
			status:  st,
			begin:   fixedEpoch.Add(time.Duration(1+61*i) * time.Second),
			ent:     svc.entitiesFor(fmt.Sprintf("%s/%d", id, i)),
		}
		if svc.phase(st).final() {
			sub.end = fixedEpoch.Add(time.Duration(61+62*i) * time.Second)
		}
		if svc.phase(st) == phaseFailed {
			sub.errorCode, sub.failReason = svc.subErrorCode, svc.subFailError
			sub.ent.errorcodeMessage = svc.subFailError
		}
		s.subs = append(s.subs, sub)
	}
	return s
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (svc *service) timeOrNil(t time.Time, s *snapshot) *string {
	if t.IsZero() {
		return nil
	}
	v := svc.format(t, s)
	return &v
}

func (svc *service) timeOrEmpty(t time.Time, s *snapshot) string {
	if t.IsZero() {
		return ""
	}
	return svc.format(t, s)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs of strings reach here
	}
	return b
}

func jsonString(s string) string { return string(mustJSON(s)) }

// nullableJob is a job or sub-job as ECS and SDRS write it: absent values
// are null, except end_time while the job runs, which ECS writes as null
// and SDRS leaves out.
type nullableJob[E any] struct {
	Status     string          `json:"status"`
	Entities   E               `json:"entities"`
	JobID      string          `json:"job_id"`
	JobType    string          `json:"job_type"`
	BeginTime  *string         `json:"begin_time"`
	EndTime    json.RawMessage `json:"end_time,omitempty"`
	ErrorCode  *string         `json:"error_code"`
	FailReason *string         `json:"fail_reason"`
}

// newNullableJob renders job or sub-job j of top with entities ent;
// nullEnd writes an unfinished end_time as null rather than leaving it out.
func newNullableJob[E any](svc *service, top, j *snapshot, ent E, nullEnd bool) nullableJob[E] {
	out := nullableJob[E]{
		Status: j.status, Entities: ent, JobID: j.id, JobType: j.jobType,
		BeginTime: svc.timeOrNil(j.begin, top), ErrorCode: nullable(j.errorCode), FailReason: nullable(j.failReason),
	}
	if end := svc.timeOrNil(j.end, top); end != nil {
		out.EndTime = mustJSON(*end)
	} else if nullEnd {
		out.EndTime = json.RawMessage("null")
	}
	return out
}

// ECS: null for absent values, as the page's example; end_time null while
// the job runs.
func renderECS(svc *service, s *snapshot, _, _ string) []byte {
	type subEntities struct {
		ServerID         string `json:"server_id,omitempty"`
		NicID            string `json:"nic_id,omitempty"`
		ErrorcodeMessage string `json:"errorcode_message,omitempty"`
	}
	type jobEntities struct {
		ServerID     string                     `json:"server_id,omitempty"`
		NicID        string                     `json:"nic_id,omitempty"`
		SubJobsTotal int                        `json:"sub_jobs_total"`
		SubJobs      []nullableJob[subEntities] `json:"sub_jobs"`
	}
	ent := jobEntities{ServerID: s.ent.serverID, NicID: s.ent.nicID, SubJobsTotal: len(s.subs), SubJobs: []nullableJob[subEntities]{}}
	for i := range s.subs {
		sub := &s.subs[i]
		ent.SubJobs = append(ent.SubJobs, newNullableJob(svc, s, sub, subEntities{ServerID: sub.ent.serverID, ErrorcodeMessage: sub.ent.errorcodeMessage}, true))
	}
	return mustJSON(newNullableJob(svc, s, s, ent, true))
}

// ELB: every string present, "" when empty; the job's project_id is the
// one in the request path; request_id matches X-Request-Id.
func renderELB(svc *service, s *snapshot, projectID, requestID string) []byte {
	type entity struct {
		ResourceID   string `json:"resource_id"`
		ResourceType string `json:"resource_type"`
	}
	type subJob struct {
		Status     string   `json:"status"`
		Entities   []entity `json:"entities"`
		BeginTime  string   `json:"begin_time"`
		EndTime    string   `json:"end_time"`
		JobID      string   `json:"job_id"`
		ResourceID string   `json:"resource_id"`
		JobType    string   `json:"job_type"`
		ErrorCode  string   `json:"error_code"`
		ErrorMsg   string   `json:"error_msg"`
		ProjectID  string   `json:"project_id"`
	}
	type mainJob struct {
		Status     string   `json:"status"`
		BeginTime  string   `json:"begin_time"`
		EndTime    string   `json:"end_time"`
		JobID      string   `json:"job_id"`
		ResourceID string   `json:"resource_id"`
		JobType    string   `json:"job_type"`
		ErrorCode  string   `json:"error_code"`
		ErrorMsg   string   `json:"error_msg"`
		ProjectID  string   `json:"project_id"`
		SubJobs    []subJob `json:"sub_jobs"`
	}
	out := struct {
		Job       mainJob `json:"job"`
		RequestID string  `json:"request_id"`
	}{
		Job: mainJob{
			Status:     s.status,
			BeginTime:  svc.timeOrEmpty(s.begin, s),
			EndTime:    svc.timeOrEmpty(s.end, s),
			JobID:      s.id,
			ResourceID: s.ent.resourceID,
			JobType:    s.jobType,
			ErrorCode:  s.errorCode,
			ErrorMsg:   s.failReason,
			ProjectID:  projectID,
			SubJobs:    []subJob{},
		},
		RequestID: requestID,
	}
	for i := range s.subs {
		sub := &s.subs[i]
		out.Job.SubJobs = append(out.Job.SubJobs, subJob{
			Status:     sub.status,
			Entities:   []entity{{ResourceID: s.ent.resourceID, ResourceType: s.ent.resourceType}},
			BeginTime:  svc.timeOrEmpty(sub.begin, s),
			EndTime:    svc.timeOrEmpty(sub.end, s),
			JobID:      sub.id,
			ResourceID: s.ent.resourceID,
			JobType:    sub.jobType,
			ErrorCode:  sub.errorCode,
			ErrorMsg:   sub.failReason,
			ProjectID:  projectID,
		})
	}
	return mustJSON(out)
}

// SDRS: null error fields as the page's example; end_time left out while
// the job runs.
func renderSDRS(svc *service, s *snapshot, _, _ string) []byte {
	type ids struct {
		ReplicationPairID   string `json:"replication_pair_id,omitempty"`
		VolumeIDs           string `json:"volume_ids,omitempty"`
		ServerGroupID       string `json:"server_group_id,omitempty"`
		ProtectedInstanceID string `json:"protected_instance_id,omitempty"`
		NativeServerID      string `json:"native_server_id,omitempty"`
		NicID               string `json:"nic_id,omitempty"`
	}
	idsOf := func(e entities) ids {
		return ids{e.replicationPairID, e.volumeIDs, e.serverGroupID, e.protectedInstanceID, e.nativeServer, e.nicID}
	}
	type jobEntities struct {
		ids
		SubJobs []nullableJob[ids] `json:"sub_jobs"`
	}
	ent := jobEntities{ids: idsOf(s.ent), SubJobs: []nullableJob[ids]{}}
	for i := range s.subs {
		ent.SubJobs = append(ent.SubJobs, newNullableJob(svc, s, &s.subs[i], idsOf(s.subs[i].ent), false))
	}
	return mustJSON(newNullableJob(svc, s, s, ent, false))
}

// SFS Turbo: naive UTC times, "" while unfinished; error fields left out
// unless the job failed, as the page's example.
func renderSFSTurbo(svc *service, s *snapshot, _, _ string) []byte {
	type subJob struct {
		Status     string `json:"status"`
		JobID      string `json:"job_id"`
		JobType    string `json:"job_type"`
		BeginTime  string `json:"begin_time"`
		EndTime    string `json:"end_time"`
		ErrorCode  string `json:"error_code,omitempty"`
		FailReason string `json:"fail_reason,omitempty"`
	}
	out := struct {
		JobID      string   `json:"job_id"`
		Status     string   `json:"status"`
		JobType    string   `json:"job_type"`
		BeginTime  string   `json:"begin_time"`
		EndTime    string   `json:"end_time"`
		ErrorCode  string   `json:"error_code,omitempty"`
		FailReason string   `json:"fail_reason,omitempty"`
		SubJobs    []subJob `json:"sub_jobs"`
	}{
		JobID:      s.id,
		Status:     s.status,
		JobType:    s.jobType,
		BeginTime:  svc.timeOrEmpty(s.begin, s),
		EndTime:    svc.timeOrEmpty(s.end, s),
		ErrorCode:  s.errorCode,
		FailReason: s.failReason,
		SubJobs:    []subJob{},
	}
	for i := range s.subs {
		sub := &s.subs[i]
		out.SubJobs = append(out.SubJobs, subJob{
			Status:     sub.status,
			JobID:      sub.id,
			JobType:    sub.jobType,
			BeginTime:  svc.timeOrEmpty(sub.begin, s),
			EndTime:    svc.timeOrEmpty(sub.end, s),
			ErrorCode:  sub.errorCode,
			FailReason: sub.failReason,
		})
	}
	return mustJSON(out)
}

func notFoundECS(jobID, _ string) []byte {
	return mustJSON(struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{"Ecs.0114", "Job [" + jobID + "] is not found."})
}

func notFoundELB(jobID, requestID string) []byte {
	return mustJSON(struct {
		ErrorMsg  string `json:"error_msg"`
		ErrorCode string `json:"error_code"`
		RequestID string `json:"request_id"`
	}{"Job " + jobID + " could not be found.", "ELB.8902", requestID})
}

func notFoundSDRS(_, _ string) []byte {
	return []byte(`{"error":{"code":"SDRS.1301","message":"The job does not exist."}}`)
}

// notFoundSFSTurbo is the page's own 404 example, verbatim: it says only
// "parameter error", so clients must decide on the status code.
func notFoundSFSTurbo(_, _ string) []byte {
	return []byte("{\n  \"errCode\" : \"SFS.TURBO.0001\",\n  \"errMsg\" : \"parameter error\"\n}")
}
