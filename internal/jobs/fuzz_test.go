package jobs_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// The decoders meet whatever a gateway, a proxy or a buggy service sends:
// they must never panic, must fail only with jobs.ErrMalformed, and whatever
// they accept must be typed as the service's table says, every time a
// valid RFC 3339 instant that the provider can put in state.

// FuzzDecode fuzzes every service's decoder: which picks the service.
func FuzzDecode(f *testing.F) {
	all := service.All()
	for i, s := range all {
		addSeeds(f, uint8(i), s)
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		checkDecode(t, all[int(which)%len(all)], body)
	})
}

// timeSeeds are the services' time formats, and their edges.
var timeSeeds = []string{
	"2016-04-25T20:04:34.604Z", "2024-03-23T08:20:42Z", "2019-04-01T12:00:00.000+08:00",
	"2019-04-01T20:00:00.123+0800", "2023-07-26 09:33:58", "2023-07-26T09:33:58",
	"2016-04-25T20:04:34.604123456Z", " 2023-07-26 09:33:58 ", "2018-08-02 08:12:40.672772389 +0000 UTC", "2018-08-02 16:12:40 +0800 CST", "0001-01-01T00:00:00Z",
	"9999-12-31T23:59:59Z", "0000-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00", "2023-02-29 00:00:00", "2023-07-26T24:00:00Z", "1690363938", "", "\xff",
}

// addSeeds adds service s's example bodies, their times in every format,
// and bodies broken in the usual ways.
func addSeeds(f *testing.F, which uint8, s *service.Service) {
	for _, sd := range s.Seeds() {
		addSeed(f, which, sd.Body)
	}
}

func addSeed(f *testing.F, which uint8, seed []byte) {
	f.Add(which, seed)
	// The seed with its times in each format, and broken in the usual ways.
	beginTime := regexp.MustCompile(`"begin_time"\s*:\s*"`)
	for _, ts := range timeSeeds {
		// The first begin_time becomes ts; its old value moves to an
		// unknown field, which the decoder ignores.
		done := false
		f.Add(which, beginTime.ReplaceAllFunc(seed, func(m []byte) []byte {
			if done {
				return m
			}
			done = true
			return []byte(`"begin_time": "` + strings.ReplaceAll(ts, `"`, `\"`) + `", "x": "`)
		}))
	}
	for _, b := range []string{
		"", "null", "{}", "[]", `{"status":null}`, `{"status":"SUCCESS"}`, `{"status":1}`, `{"status":{}}`,
		`{"job":{"status":"COMPLETE","sub_jobs":[null]}}`, `{"job":null}`, `{"job":[]}`, `{"jobs":[]}`,
		`{"status":"RUNNING","entities":{"sub_jobs":[{"status":"FAIL","begin_time":"0000-01-01 00:00:00"}]}}`,
		`{"status":"success","begin_time":1690363938,"sub_jobs":"x"}`, `{"status":"SUCCESS","entities":{"sub_jobs_total":"12"}}`,
		`{"status":"SUCCESS","entities":{"sub_jobs_total":1e3}}`, `{"status":"SUCCESS","entities":{"sub_jobs_total":9223372036854775808}}`,
		"<html>Bad gateway</html>", `{"status":"SUCCESS"} trailing`, string(seed[:len(seed)/2]),
	} {
		f.Add(which, []byte(b))
	}
}

// checkDecode: jobs.Decode never panics, fails only with jobs.ErrMalformed, and what
// it accepts is typed as the service's table says.
func checkDecode(t *testing.T, s *service.Service, body []byte) {
	t.Helper()
	{
		job, err := jobs.Decode(s, body)
		if err != nil {
			if !errors.Is(err, jobs.ErrMalformed) {
				t.Fatalf("error %v does not match jobs.ErrMalformed", err)
			}
			if prefix := "decoding " + s.Title + " job: "; !strings.HasPrefix(err.Error(), prefix) {
				t.Fatalf("error %q does not start with %q", err, prefix)
			}
			return
		}
		if job.Service != s || job.Status() == "" {
			t.Fatalf("accepted a job without status: %#v", job.Data)
		}
		if want := s.PhaseOf(job.Status()); job.Phase() != want {
			t.Fatalf("phase %q, want %q for status %q", job.Phase(), want, job.Status())
		}
		if err := checkRecord(s, s.Fields, job.Data, ""); err != nil {
			t.Fatal(err)
		}
		for _, fl := range job.Failures() {
			if fl.Status == "" {
				t.Fatalf("failure without status: %+v", fl)
			}
		}
	}
}

// checkRecord walks the table: every value has its field's type, every
// phase matches its status, every time is valid.
func checkRecord(s *service.Service, fields []service.Field, r jobs.Record, at string) error {
	for _, f := range fields {
		p := at + f.Name()
		v, ok := r[f.Name()]
		if !ok {
			return fmt.Errorf("%s missing from the record", p)
		}
		if v == nil {
			continue
		}
		switch f.Kind {
		case service.String:
			if s, ok := v.(string); !ok || s == "" {
				return fmt.Errorf("%s: want a non-empty string, got %#v", p, v)
			}
		case service.Int:
			if _, ok := v.(int64); !ok {
				return fmt.Errorf("%s: want an int64, got %#v", p, v)
			}
		case service.Time:
			tm, ok := v.(time.Time)
			if !ok {
				return fmt.Errorf("%s: want a time.Time, got %#v", p, v)
			}
			if err := validTime(tm); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		case service.Map:
			if _, ok := v.(map[string]string); !ok {
				return fmt.Errorf("%s: want a map[string]string, got %#v", p, v)
			}
		case service.Object:
			o, ok := v.(jobs.Record)
			if !ok {
				return fmt.Errorf("%s: want a jobs.Record, got %#v", p, v)
			}
			if err := checkRecord(s, f.Fields, o, p+"."); err != nil {
				return err
			}
		case service.List:
			l, ok := v.([]jobs.Record)
			if !ok {
				return fmt.Errorf("%s: want a []jobs.Record, got %#v", p, v)
			}
			for i, o := range l {
				if err := checkRecord(s, f.Fields, o, fmt.Sprintf("%s[%d].", p, i)); err != nil {
					return err
				}
			}
		}
	}
	if p := service.RolePath(fields, service.Status); p != nil && hasPhase(fields) {
		var v any = r
		for _, f := range p {
			rec, _ := v.(jobs.Record)
			v = rec[f.Name()]
		}
		status, _ := v.(string)
		if got, want := r.Str("phase"), string(s.PhaseOf(status)); got != want {
			return fmt.Errorf("%sphase %q, want %q for status %q", at, got, want, status)
		}
	}
	return nil
}

func hasPhase(fields []service.Field) bool {
	for _, f := range fields {
		if f.Derived {
			return true
		}
	}
	return false
}

// validTime: the provider writes a time as jobs.FormatTime into an RFC 3339
// attribute (timetypes.NewRFC3339ValueMust, which panics on a bad string),
// so jobs.FormatTime's text must parse as RFC 3339, to the same instant.
func validTime(tm time.Time) error {
	if y := tm.UTC().Year(); y < 0 || y > 9999 {
		return fmt.Errorf("%v: UTC year %d is outside RFC 3339's 0000-9999", tm, y)
	}
	s := jobs.FormatTime(tm)
	back, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("time %v formats as %q, which is not RFC 3339: %w", tm, s, err)
	}
	if !back.Equal(tm) {
		return fmt.Errorf("time %v formats as %q, which reads back as %v", tm, s, back)
	}
	return nil
}

func FuzzParseTime(f *testing.F) {
	for _, s := range timeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := jobs.ParseTime(s)
		if err != nil {
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", s)) {
				t.Fatalf("error %q does not quote the value", err)
			}
			return
		}
		if err := validTime(tm); err != nil {
			t.Fatal(err)
		}
		// What jobs.FormatTime wrote, jobs.ParseTime reads back as the same instant.
		again, err := jobs.ParseTime(jobs.FormatTime(tm))
		if err != nil || !again.Equal(tm) {
			t.Fatalf("ParseTime(jobs.FormatTime(%v)) = %v, %v", tm, again, err)
		}
	})
}
