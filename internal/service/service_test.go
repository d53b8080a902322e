package service

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDescriptions checks every production description: Check passes,
// every field is documented, nested fields only where they belong, names
// unique, and every example body is JSON.
func TestDescriptions(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range All() {
		if err := s.Check(); err != nil {
			t.Error(err)
		}
		for _, k := range s.EndpointKeys() {
			if seen[k] {
				t.Errorf("endpoint key %s is used twice", k)
			}
			seen[k] = true
		}
		var walk func(fields []Field, at string)
		walk = func(fields []Field, at string) {
			for _, f := range fields {
				if f.Description == "" {
					t.Errorf("%s: %s%s has no description", s.Name, at, f.Name())
				}
				if (f.Kind == Object || f.Kind == List) != (len(f.Fields) > 0) {
					t.Errorf("%s: %s%s: nested fields only for objects and lists", s.Name, at, f.Name())
				}
				walk(f.Fields, at+f.Name()+".")
			}
		}
		walk(s.Fields, "")
		if len(s.Seeds()) == 0 {
			t.Errorf("%s has no example body in seeds/", s.Name)
		}
		for _, sd := range s.Seeds() {
			if !json.Valid(sd.Body) {
				t.Errorf("seeds/%s is not valid JSON", sd.File)
			}
		}
		if !json.Valid([]byte(strings.NewReplacer("{job_id}", "j", "{request_id}", "r").Replace(s.NotFound))) {
			t.Errorf("%s: the 404 body is not JSON", s.Name)
		}
	}
}

// TestCheckRejects shows Check catching each kind of broken description.
func TestCheckRejects(t *testing.T) {
	good := func() Service {
		return Service{
			Name: "x", Title: "X", Host: "x", Path: "/v1/{project_id}/jobs/{job_id}",
			TimeLayouts: []string{"2006-01-02T15:04:05Z"},
			Statuses:    []StatusPhase{{"A", Pending}, {"B", Running}, {"C", Succeeded}, {"D", Failed}},
			Fields:      JobFields("s", "fail_reason", "r"),
		}
	}
	if err := New(good()).Check(); err != nil {
		t.Fatalf("the good description fails: %v", err)
	}
	for name, change := range map[string]func(*Service){
		"no host":          func(s *Service) { s.Host = "" },
		"camel name":       func(s *Service) { s.Name = "sfsTurbo" },
		"path without job": func(s *Service) { s.Path = "/v1/{project_id}/jobs" },
		"no failed status": func(s *Service) { s.Statuses = s.Statuses[:3] },
		"no id":            func(s *Service) { s.Fields = s.Fields[1:] },
		"argument name":    func(s *Service) { s.Fields = append(s.Fields, Field{Key: "project_id", Kind: String}) },
		"twice":            func(s *Service) { s.Fields = append(s.Fields, Field{Key: "jobType", Kind: String}) },
		"sub-job no status": func(s *Service) {
			s.Fields = append(s.Fields, Field{Key: "subs", Kind: List, Role: SubJobs, Fields: StringFields("job_id", "")})
		},
	} {
		s := good()
		change(&s)
		if err := New(s).Check(); err == nil {
			t.Errorf("%s: Check accepted it", name)
		}
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"job_id": "job_id", "apiVersion": "api_version", "clusterUID": "cluster_uid",
		"creationTimestamp": "creation_timestamp", "subJobs": "sub_jobs", "resourceID": "resource_id",
		"sfs-turbo": "sfs_turbo", "extendParam": "extend_param", "UID": "uid", "serverID2": "server_id2",
	} {
		if got := Snake(in); got != want {
			t.Errorf("Snake(%q) = %q, want %q", in, got, want)
		}
	}
}
