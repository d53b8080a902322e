package hwc

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// iamServer answers GET /v3/projects with body for the region asked, and
// job calls with {}.
func iamServer(t *testing.T, projects func(region string) (int, string)) *server {
	return newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v3/projects" {
			fmt.Fprint(w, "{}")
			return
		}
		if r.Header.Get("X-Project-Id") != "" {
			t.Errorf("IAM look-up sent X-Project-Id %q", r.Header.Get("X-Project-Id"))
		}
		status, body := projects(r.URL.Query().Get("name"))
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	})
}

func TestProjectIDFromConfigNeedsNoCall(t *testing.T) {
	srv := iamServer(t, func(string) (int, string) { return 500, "" })
	c, _ := newTestClient(t, srv.URL, nil)
	id, err := c.ProjectID(context.Background(), "")
	if err != nil || id != testProj {
		t.Fatalf("ProjectID = %q, %v", id, err)
	}
	if id, err := c.ProjectID(context.Background(), testRegion); err != nil || id != testProj {
		t.Fatalf("ProjectID(%s) = %q, %v", testRegion, id, err)
	}
	if srv.calls.Load() != 0 {
		t.Errorf("%d IAM calls", srv.calls.Load())
	}
}

// TestConfiguredProjectID: the configured project is known without a
// request for the configured region only; another region's is not.
func TestConfiguredProjectID(t *testing.T) {
	srv := iamServer(t, func(string) (int, string) { return 500, "" })
	c, _ := newTestClient(t, srv.URL, nil)
	for region, want := range map[string]bool{"": true, testRegion: true, "ap-southeast-1": false} {
		id, ok := c.ConfiguredProjectID(region)
		if ok != want || (ok && id != testProj) || (!ok && id != "") {
			t.Errorf("ConfiguredProjectID(%q) = %q, %v", region, id, ok)
		}
	}
	if srv.calls.Load() != 0 {
		t.Errorf("%d IAM calls", srv.calls.Load())
	}
}

func TestProjectIDLookupIsSharedAndCached(t *testing.T) {
	gate := make(chan struct{})
	srv := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v3/projects" {
			fmt.Fprint(w, "{}")
			return
		}
		<-gate // hold the look-up until every goroutine has asked
		if got := r.URL.RawQuery; got != "name=cn-north-4" {
			t.Errorf("query %q", got)
		}
		fmt.Fprint(w, `{"projects":[{"id":"p-other","name":"cn-north-4_sub"},{"id":"p-1","name":"cn-north-4","enabled":true}],"links":{}}`)
	})
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.ProjectID = "" })

	const n = 20
	var (
		wg      sync.WaitGroup
		started sync.WaitGroup
		ids     = make([]string, n)
		errs    = make([]error, n)
	)
	started.Add(n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started.Done()
			ids[i], errs[i] = c.ProjectID(context.Background(), testRegion)
		}()
	}
	started.Wait()
	time.Sleep(20 * time.Millisecond) // let them reach the look-up; correctness does not depend on it
	close(gate)
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != "p-1" {
			t.Errorf("goroutine %d: %q, %v", i, ids[i], errs[i])
		}
	}
	if _, err := c.Get(context.Background(), jobRequest); err != nil {
		t.Fatal(err)
	}
	if got := srv.lastRequest().Header.Get("X-Project-Id"); got != "p-1" {
		t.Errorf("job call X-Project-Id = %q, want the looked-up p-1", got)
	}
	if got := srv.lastRequest().URL.Path; got != "/v1/p-1/jobs/j1" {
		t.Errorf("job call path %q", got)
	}
	if srv.calls.Load() != 2 {
		t.Errorf("%d calls, want one IAM look-up and one job call", srv.calls.Load())
	}
}

func TestProjectIDOfAnotherRegionIsLookedUp(t *testing.T) {
	srv := iamServer(t, func(region string) (int, string) {
		return 200, fmt.Sprintf(`{"projects":[{"id":"id-of-%s","name":%q}]}`, region, region)
	})
	c, _ := newTestClient(t, srv.URL, nil) // ProjectID configured for cn-north-4 only
	id, err := c.ProjectID(context.Background(), "ap-southeast-1")
	if err != nil || id != "id-of-ap-southeast-1" {
		t.Fatalf("ProjectID = %q, %v", id, err)
	}
}

func TestProjectIDLookupErrors(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		want       []string
	}{
		{"none", `{"projects":[]}`, []string{`"cn-north-4"`, "project_id", "HW_PROJECT_ID"}},
		{"other names only", `{"projects":[{"id":"x","name":"cn-north-1"}]}`, []string{`"cn-north-4"`, "HW_PROJECT_ID"}},
		{"several", `{"projects":[{"id":"a1","name":"cn-north-4"},{"id":"b2","name":"cn-north-4"}]}`, []string{`"cn-north-4"`, "a1", "b2"}},
		{"bad json", `{"projects":`, []string{"cn-north-4", "JSON"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := iamServer(t, func(string) (int, string) { return 200, tt.body })
			c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.ProjectID = "" })
			_, err := c.ProjectID(context.Background(), testRegion)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestProjectIDFailureIsNotCached(t *testing.T) {
	fail := true
	var mu sync.Mutex
	srv := iamServer(t, func(string) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			fail = false
			return 403, `{"error_code":"IAM.0002","error_msg":"forbidden"}`
		}
		return 200, `{"projects":[{"id":"p-1","name":"cn-north-4"}]}`
	})
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.ProjectID = "" })
	if _, err := c.ProjectID(context.Background(), ""); err == nil || !strings.Contains(err.Error(), "IAM.0002") {
		t.Fatalf("first look-up error %v, want the IAM error", err)
	}
	if id, err := c.ProjectID(context.Background(), ""); err != nil || id != "p-1" {
		t.Fatalf("second look-up = %q, %v", id, err)
	}
	if srv.calls.Load() != 2 {
		t.Errorf("%d calls, want 2", srv.calls.Load())
	}
}

func TestProjectIDFollowerSurvivesLeaderCancel(t *testing.T) {
	firstIn := make(chan struct{})
	var once sync.Once
	srv := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			once.Do(func() { close(firstIn) })
			blockUntilGone(r) // the leader's look-up hangs until it is cancelled
			return
		}
		fmt.Fprint(w, `{"projects":[{"id":"p-1","name":"cn-north-4"}]}`)
	})
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.ProjectID = "" })
	leaderCtx, cancelLeader := context.WithCancel(context.Background())
	leaderErr := make(chan error, 1)
	go func() {
		_, err := c.ProjectID(leaderCtx, "")
		leaderErr <- err
	}()
	<-firstIn
	follower := make(chan string, 1)
	go func() {
		id, err := c.ProjectID(context.Background(), "")
		if err != nil {
			id = err.Error()
		}
		follower <- id
	}()
	time.Sleep(10 * time.Millisecond) // usually lets the follower join; the outcome must not depend on it
	cancelLeader()
	if err := <-leaderErr; err == nil {
		t.Error("the cancelled leader got no error")
	}
	if id := <-follower; id != "p-1" {
		t.Errorf("follower got %q, want p-1: another caller's cancellation must not fail it", id)
	}
}
