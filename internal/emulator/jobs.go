package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// Every job body the emulator writes is rendered from the service's
// description: the field table says where the id, status, times, reason and
// sub-jobs go, the description's examples fill the rest. Adding a service
// to the list the emulator is built from is all it takes to serve it.

// SeedJobID returns the id of svc's first example job, which every
// emulator serves verbatim.
func SeedJobID(svc *service.Service) string {
	seeds := svc.Seeds()
	if len(seeds) == 0 {
		return ""
	}
	id, _ := seedID(svc, seeds[0].Body)
	return id
}

// seedID reads the job id out of an example body, where the description
// says it sits.
func seedID(svc *service.Service, body []byte) (string, error) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "", err
	}
	if svc.Envelope != "" {
		v = lookup(v, svc.Envelope)
	}
	for _, f := range service.RolePath(svc.Fields, service.ID) {
		v = lookup(v, f.Key)
	}
	id, ok := v.(string)
	if !ok || id == "" {
		return "", errors.New("no job id where the description puts it")
	}
	return id, nil
}

// lookup returns v[key] when v is a JSON object.
func lookup(v any, key string) any {
	m, _ := v.(map[string]any)
	return m[key]
}

// FixedJobID names the always-present job of svc in status, e.g.
// FixedJobID(service.ECS, "PENDING_PAYMENT") == "ecs-pending-payment".
func FixedJobID(svc *service.Service, status string) string {
	return svc.Host + "-" + strings.ReplaceAll(strings.ToLower(status), "_", "-")
}

// Suffixes of the special fixed jobs every service has, beside one job per
// documented status: FixedJobID(svc, suffix) names them.
const (
	JobUndocumented = "undocumented"  // status PAUSED, a word no page documents
	JobMalformed    = "malformed"     // 200 with a truncated JSON body
	JobWrongShape   = "wrong-shape"   // 200 with valid JSON of another shape
	JobNulls        = "nulls"         // every optional field null or ""
	JobEmptySubJobs = "empty-subjobs" // an empty sub-job list
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
	// Service is a service's name (ecs, sfs_turbo) or host label (sfs-turbo).
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
	subs                  []snapshot // nil: no sub-job list at all

	// layout is the index of the service's time layout to write in.
	layout int
	// blank writes every value but the id and the status as absent, null
	// and "" in turn.
	blank bool
}

// job is one entry of the emulator's job table.
type job struct {
	svc   *service.Service
	id    string
	raw   []byte    // served verbatim (seeds and deliberately broken bodies)
	fixed *snapshot // never changes
	timed *timedJob // moves along its timeline
}

type timedJob struct {
	spec         JobSpec
	created      time.Time
	subIDs       []string
	notFoundLeft int
}

// at returns the timeline's status at elapsed, when that status was
// reached, and whether it is final.
func at(svc *service.Service, timeline []Step, created time.Time, elapsed time.Duration) (status string, end time.Time, final bool) {
	i := 0
	for j, st := range timeline {
		if st.After <= elapsed {
			i = j
		}
	}
	st := timeline[i]
	if st.After <= elapsed && svc.PhaseOf(st.Status).Finished() {
		return st.Status, created.Add(st.After), true
	}
	return st.Status, time.Time{}, false
}

// snapshot renders a timed job as it stands at now.
func (t *timedJob) snapshot(svc *service.Service, now time.Time) (snapshot, bool) {
	elapsed := now.Sub(t.created)
	status, end, final := at(svc, t.spec.Timeline, t.created, elapsed)
	s := snapshot{id: t.spec.JobID, jobType: t.spec.JobType, status: status, begin: t.created, end: end}
	if svc.PhaseOf(status) == service.Failed {
		s.errorCode, s.failReason = t.spec.ErrorCode, t.spec.FailReason
	}
	s.subs = []snapshot{}
	for i, sub := range t.spec.SubJobs {
		st, subEnd, _ := at(svc, sub.Timeline, t.created, elapsed)
		ss := snapshot{id: t.subIDs[i], jobType: sub.JobType, status: st, begin: t.created, end: subEnd}
		if svc.PhaseOf(st) == service.Failed {
			ss.errorCode, ss.failReason = sub.ErrorCode, sub.FailReason
		}
		s.subs = append(s.subs, ss)
	}
	return s, final
}

// newTimedJob checks and completes spec for svc.
func newTimedJob(svc *service.Service, spec JobSpec, now time.Time) (*timedJob, error) {
	spec.Service = svc.Name
	if spec.JobID == "" {
		spec.JobID = newUUID()
	}
	if strings.TrimSpace(spec.JobID) == "" || strings.ContainsAny(spec.JobID, "/?#") {
		return nil, fmt.Errorf("job id %q cannot be used in a path", spec.JobID)
	}
	ex := svc.Examples
	if spec.JobType == "" {
		spec.JobType = ex.JobType
	}
	if spec.FailReason == "" {
		spec.FailReason = spec.ErrorMsg
	}
	if len(spec.Timeline) == 0 {
		spec.Timeline = defaultTimeline(svc)
	}
	if err := checkTimeline(spec.Timeline); err != nil {
		return nil, fmt.Errorf("job %s: %w", spec.JobID, err)
	}
	if svc.PhaseOf(spec.Timeline[len(spec.Timeline)-1].Status) == service.Failed && spec.ErrorCode == "" && spec.FailReason == "" {
		spec.ErrorCode, spec.FailReason = ex.ErrorCode, ex.Reason
	}
	t := &timedJob{created: now, notFoundLeft: spec.NotFoundReads}
	subs := make([]SubJobSpec, len(spec.SubJobs))
	for i, sub := range spec.SubJobs {
		if sub.JobType == "" {
			sub.JobType = ex.SubJobType
		}
		if sub.FailReason == "" {
			sub.FailReason = sub.ErrorMsg
		}
		if len(sub.Timeline) == 0 {
			sub.Timeline = spec.Timeline
		}
		if err := checkTimeline(sub.Timeline); err != nil {
			return nil, fmt.Errorf("job %s sub-job %d: %w", spec.JobID, i, err)
		}
		if svc.PhaseOf(sub.Timeline[len(sub.Timeline)-1].Status) == service.Failed && sub.ErrorCode == "" && sub.FailReason == "" {
			sub.ErrorCode, sub.FailReason = ex.SubErrorCode, ex.SubReason
		}
		subs[i] = sub
		t.subIDs = append(t.subIDs, SubJobID(svc, spec.JobID, i))
	}
	spec.SubJobs = subs
	t.spec = spec
	return t, nil
}

func checkTimeline(tl []Step) error {
	for i, st := range tl {
		if st.Status == "" {
			return fmt.Errorf("timeline step %d has no status", i)
		}
		if st.After < 0 {
			return fmt.Errorf("timeline step %d (%s) has a negative duration %s", i, st.Status, st.After)
		}
		if i > 0 && st.After < tl[i-1].After {
			return fmt.Errorf("timeline step %d (%s at %s) is out of order", i, st.Status, st.After)
		}
	}
	return nil
}

func defaultTimeline(svc *service.Service) []Step {
	return []Step{
		{svc.StatusIn(service.Pending), 0},
		{svc.StatusIn(service.Running), time.Second},
		{svc.StatusIn(service.Succeeded), 3 * time.Second},
	}
}

// Errors of FailJob, for the admin route's status code.
var (
	errNoJob    = errors.New("no such job")
	errNotTimed = errors.New("not a timed job")
	errFinished = errors.New("already finished")
)

// FailJob makes timed job jobID of service name fail now, with code and reason
// (the service's example ones when both are empty): its timeline stops
// here with the service's failed status, and so do those of its sub-jobs
// that have not finished. It returns the failed status.
func (s *Server) FailJob(name, jobID, code, reason string) (string, error) {
	svc, err := s.service(name)
	if err != nil {
		return "", err
	}
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.jobs[svc.Name][jobID]
	switch {
	case j == nil:
		return "", fmt.Errorf("%s job %q: %w", svc.Name, jobID, errNoJob)
	case j.timed == nil:
		return "", fmt.Errorf("%s job %q is a seed or fixed job that never changes: %w (create one with POST /_emulator/jobs)", svc.Name, jobID, errNotTimed)
	}
	t := j.timed
	elapsed := now.Sub(t.created)
	if status, _, final := at(svc, t.spec.Timeline, t.created, elapsed); final {
		return "", fmt.Errorf("%s job %q: %w (%s)", svc.Name, jobID, errFinished, status)
	}
	failed := svc.StatusIn(service.Failed)
	if code == "" && reason == "" {
		code, reason = svc.Examples.ErrorCode, svc.Examples.Reason
	}
	t.spec.Timeline = failAt(t.spec.Timeline, failed, elapsed)
	t.spec.ErrorCode, t.spec.FailReason = code, reason
	for i, sub := range t.spec.SubJobs {
		if _, _, final := at(svc, sub.Timeline, t.created, elapsed); final {
			continue
		}
		t.spec.SubJobs[i].Timeline = failAt(sub.Timeline, failed, elapsed)
		if sub.ErrorCode == "" && sub.FailReason == "" {
			t.spec.SubJobs[i].ErrorCode, t.spec.SubJobs[i].FailReason = svc.Examples.SubErrorCode, svc.Examples.SubReason
		}
	}
	return failed, nil
}

// failAt returns a new timeline: tl's steps up to elapsed, then failed.
func failAt(tl []Step, failed string, elapsed time.Duration) []Step {
	var out []Step
	for _, st := range tl {
		if st.After <= elapsed {
			out = append(out, st)
		}
	}
	return append(out, Step{Status: failed, After: elapsed})
}

// SubJobID is the id of sub-job i (from 0) of timed job jobID of svc:
// derived from the job's id, so that tests know it without reading the job.
func SubJobID(svc *service.Service, jobID string, i int) string {
	return subJobID(svc, fmt.Sprintf("%s/sub/%d", jobID, i))
}

// subJobID follows the service's own id style: 32 hex digits or a UUID.
func subJobID(svc *service.Service, seed string) string {
	if svc.HexIDs {
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

// fixedJobs builds the jobs every emulator starts with: the examples of
// the API page, one job per documented status and the special ones.
func fixedJobs(svc *service.Service) ([]*job, error) {
	var jobs []*job
	for _, sd := range svc.Seeds() {
		id, err := seedID(svc, sd.Body)
		if err != nil {
			return nil, fmt.Errorf("seed %s: %w", sd.File, err)
		}
		jobs = append(jobs, &job{svc: svc, id: id, raw: sd.Body})
	}
	for i, sp := range svc.Statuses {
		s := fixedSnapshot(svc, FixedJobID(svc, sp.Status), sp.Status)
		s.layout = i % len(svc.TimeLayouts) // every format the service writes
		jobs = append(jobs, &job{svc: svc, id: s.id, fixed: &s})
	}
	succeeded := svc.StatusIn(service.Succeeded)
	undocumented := fixedSnapshot(svc, FixedJobID(svc, JobUndocumented), "PAUSED")
	empty := fixedSnapshot(svc, FixedJobID(svc, JobEmptySubJobs), succeeded)
	empty.subs = []snapshot{}
	nulls := snapshot{id: FixedJobID(svc, JobNulls), status: succeeded, blank: true}
	whole := fixedSnapshot(svc, FixedJobID(svc, JobMalformed), succeeded)
	body := render(svc, &whole, DefaultProjectID, "0123456789abcdef0123456789abcdef")
	jobs = append(jobs,
		&job{svc: svc, id: undocumented.id, fixed: &undocumented},
		&job{svc: svc, id: empty.id, fixed: &empty},
		&job{svc: svc, id: nulls.id, fixed: &nulls},
		&job{svc: svc, id: whole.id, raw: body[:len(body)/2]},
		&job{svc: svc, id: FixedJobID(svc, JobWrongShape), raw: []byte(`{"jobs":[]}`)},
	)
	return jobs, nil
}

// fixedSnapshot makes a job frozen in status with two sub-jobs: the first
// done (or pending with the job), the second sharing the job's fate.
func fixedSnapshot(svc *service.Service, id, status string) snapshot {
	ph := svc.PhaseOf(status)
	ex := svc.Examples
	s := snapshot{id: id, jobType: ex.JobType, status: status, begin: fixedEpoch}
	if ph.Finished() {
		s.end = fixedEpoch.Add(2*time.Minute + 3456*time.Millisecond)
	}
	if ph == service.Failed {
		s.errorCode, s.failReason = ex.ErrorCode, ex.Reason
	}
	success := svc.StatusIn(service.Succeeded)
	first, second := success, status
	switch ph {
	case service.Pending:
		first, second = svc.StatusIn(service.Pending), svc.StatusIn(service.Pending)
	case service.Succeeded:
		second = success
	}
	for i, st := range []string{first, second} {
		sub := snapshot{
			id:      subJobID(svc, fmt.Sprintf("%s/%d", id, i)),
			jobType: ex.SubJobType,
			status:  st,
			begin:   fixedEpoch.Add(time.Duration(1+61*i) * time.Second),
		}
		if svc.PhaseOf(st).Finished() {
			sub.end = fixedEpoch.Add(time.Duration(61+62*i) * time.Second)
		}
		if svc.PhaseOf(st) == service.Failed {
			sub.errorCode, sub.failReason = ex.SubErrorCode, ex.SubReason
		}
		s.subs = append(s.subs, sub)
	}
	return s
}

// render writes job s of svc as the service's API answers it: the job
// object (in its envelope, beside the request id, where the service has
// one), with the request's project where the job names its project.
func render(svc *service.Service, s *snapshot, projectID, requestID string) []byte {
	r := renderer{svc: svc, top: s, projectID: projectID}
	job := r.object(svc.Fields, s)
	if svc.Envelope == "" {
		return mustJSON(job)
	}
	out := object{{svc.Envelope, job}}
	if svc.RequestIDKey != "" {
		out = append(out, member{svc.RequestIDKey, requestID})
	}
	return mustJSON(out)
}

type renderer struct {
	svc       *service.Service
	top       *snapshot // whose time layout and blankness apply
	projectID string
	n         int // fields written blank so far: null and "" alternate
}

// object renders the fields of a job object (or an object nested in one)
// for job s, in the table's order.
func (r *renderer) object(fields []service.Field, s *snapshot) object {
	out := object{}
	for _, f := range fields {
		if f.Derived {
			continue
		}
		v, ok := r.value(f, s)
		if !ok {
			switch a := r.absent(f); {
			case a == service.AbsentOmit:
				continue
			case a == service.AbsentEmpty && f.Kind != service.List && f.Kind != service.Map:
				v = ""
			default:
				v = nil // a list or map the service does not have is null
			}
		}
		out = append(out, member{f.Key, v})
	}
	return out
}

// absent is how field f is written without a value; a blank job writes
// null and "" in turn.
func (r *renderer) absent(f service.Field) service.Absent {
	if r.top.blank && f.Kind != service.Object && f.Kind != service.List {
		r.n++
		if r.n%2 == 0 {
			return service.AbsentEmpty
		}
		return service.AbsentNull
	}
	return r.svc.AbsentOf(f)
}

// value returns field f of job s, false when the job has none.
func (r *renderer) value(f service.Field, s *snapshot) (any, bool) {
	if f.Rare || (r.top.blank && f.Role != service.ID && f.Role != service.Status && f.Kind != service.Object) {
		return nil, false
	}
	str := func(v string) (any, bool) { return v, v != "" }
	switch f.Role {
	case service.ID:
		return str(s.id)
	case service.Status:
		return str(s.status)
	case service.Type:
		return str(s.jobType)
	case service.Begin:
		return r.time(s.begin)
	case service.End:
		return r.time(s.end)
	case service.Code:
		return str(s.errorCode)
	case service.Reason:
		return str(s.failReason)
	case service.Project:
		return str(r.projectID)
	case service.SubJobCount:
		return len(s.subs), true
	case service.SubJobs:
		if s.subs == nil {
			return nil, false
		}
		list := make([]object, len(s.subs))
		for i := range s.subs {
			list[i] = r.object(f.Fields, &s.subs[i])
		}
		return list, true
	}
	switch f.Kind {
	case service.Time:
		if !s.end.IsZero() {
			return r.time(s.end)
		}
		return r.time(s.begin)
	case service.Int:
		return 0, true
	case service.Object:
		return r.object(f.Fields, s), true
	case service.List:
		return []object{r.object(f.Fields, s)}, true
	case service.Map:
		if f.Example == "" {
			return object{}, true
		}
		return object{{f.Example, fakeUUID(f.Example, s.id)}}, true
	}
	if f.Example != "" {
		return f.Example, true
	}
	return fakeUUID(f.Key, s.id), true
}

// cst is the zone of times the emulator writes with a numeric offset.
var cst = time.FixedZone("CST", 8*3600)

func (r *renderer) time(t time.Time) (any, bool) {
	if t.IsZero() {
		return nil, false
	}
	layout := r.svc.TimeLayouts[r.top.layout]
	if strings.Contains(layout, "-07") {
		return t.In(cst).Format(layout), true
	}
	return t.UTC().Format(layout), true
}

// notFoundBody is svc's 404 answer for jobID.
func notFoundBody(svc *service.Service, jobID, requestID string) []byte {
	esc := func(s string) string { q := jsonString(s); return q[1 : len(q)-1] }
	return []byte(strings.NewReplacer("{job_id}", esc(jobID), "{request_id}", esc(requestID)).Replace(svc.NotFound))
}

// object is a JSON object that keeps its members in order, as the
// services write them.
type object []member

// member is one key and value of an object.
type member struct {
	key   string
	value any
}

// MarshalJSON writes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only strings, numbers and objects of them reach here
	}
	return b
}

func jsonString(s string) string { return string(mustJSON(s)) }
