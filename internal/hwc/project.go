package hwc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// projectCache remembers project ids per region for the Client's lifetime
// and lets concurrent first callers for one region share a single IAM call
// (a tiny singleflight): a plan that reads fifty jobs must not send fifty
// look-ups. Failures are not cached, so a transient IAM error heals.
type projectCache struct {
	mu       sync.Mutex
	ids      map[string]string
	inflight map[string]*projectCall
}

type projectCall struct {
	done chan struct{}
	id   string
	err  error
}

// ProjectID returns the project id of a region ("" = Config.Region):
// Config.ProjectID for the configured region when set, else the one IAM
// project named like the region, looked up once with
// GET {iam}/v3/projects?name={region}. Config.ProjectID is not reused for
// other regions, because Huawei Cloud project ids are per region.
func (c *Client) ProjectID(ctx context.Context, region string) (string, error) {
	if region == "" {
		region = c.cfg.Region
	}
	if region == "" {
		return "", errors.New("hwc: cannot look up a project id without a region: set region (or HW_REGION_NAME)")
	}
	if c.cfg.ProjectID != "" && region == c.cfg.Region {
		return c.cfg.ProjectID, nil
	}
	for {
		id, shared, err := c.projects.do(ctx, region, func() (string, error) {
			return c.lookupProjectID(ctx, region)
		})
		// A shared call that died with its leader's context says nothing
		// about ours: try again, this time perhaps as the leader.
		if shared && err != nil && ctx.Err() == nil &&
			(errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			continue
		}
		return id, err
	}
}

// ConfiguredProjectID returns, with no request, the project id that
// ProjectID would return for region ("" = Config.Region) because it is
// configured: Config.ProjectID for Config.Region. ok is false when the id
// would have to be looked up through IAM.
func (c *Client) ConfiguredProjectID(region string) (id string, ok bool) {
	if region == "" {
		region = c.cfg.Region
	}
	if c.cfg.ProjectID == "" || region == "" || region != c.cfg.Region {
		return "", false
	}
	return c.cfg.ProjectID, true
}

// do returns the cached id, joins a look-up in flight, or runs fn. shared
// reports that the result came from another caller's fn.
func (p *projectCache) do(ctx context.Context, region string, fn func() (string, error)) (id string, shared bool, err error) {
	p.mu.Lock()
	if id, ok := p.ids[region]; ok {
		p.mu.Unlock()
		return id, false, nil
	}
	if call, ok := p.inflight[region]; ok {
		p.mu.Unlock()
		select {
		case <-call.done:
			return call.id, true, call.err
		case <-ctx.Done():
			return "", false, ctx.Err()
		}
	}
	call := &projectCall{done: make(chan struct{})}
	if p.inflight == nil {
		p.inflight = make(map[string]*projectCall)
	}
	p.inflight[region] = call
	p.mu.Unlock()

	call.id, call.err = fn()

	p.mu.Lock()
	delete(p.inflight, region)
	if call.err == nil {
		if p.ids == nil {
			p.ids = make(map[string]string)
		}
		p.ids[region] = call.id
	}
	p.mu.Unlock()
	close(call.done)
	return call.id, false, call.err
}

func (c *Client) lookupProjectID(ctx context.Context, region string) (string, error) {
	resp, err := c.Get(ctx, Request{
		Service: "iam",
		Region:  region,
		Path:    "/v3/projects",
		Query:   url.Values{"name": {region}},
	})
	if err != nil {
		return "", fmt.Errorf("looking up the project id of region %s in IAM: %w", region, err)
	}
	var answer struct {
		Projects []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"projects"`
	}
	if err := json.Unmarshal(resp.Body, &answer); err != nil {
		return "", fmt.Errorf("looking up the project id of region %s: IAM answered %s with undecodable JSON: %w", region, resp.Path, err)
	}
	// IAM filters by name already; checking again guards against a
	// gateway or an emulator that ignores the filter.
	var ids []string
	for _, p := range answer.Projects {
		if p.Name == region && p.ID != "" {
			ids = append(ids, p.ID)
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		return "", fmt.Errorf("no IAM project named %q is visible to these credentials; set project_id (or HW_PROJECT_ID) for region %s", region, region)
	default:
		return "", fmt.Errorf("%d IAM projects are named %q (ids %s); set project_id (or HW_PROJECT_ID) to choose one for region %s",
			len(ids), region, strings.Join(ids, ", "), region)
	}
}
