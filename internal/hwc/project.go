package hwc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/sync/singleflight"
)

// projectCache remembers project ids per region and project name for the
// Client's lifetime, and lets concurrent first callers share a single IAM
// call: a plan that reads fifty jobs must not send fifty look-ups.
// Failures are not cached, so a transient IAM error heals.
type projectCache struct {
	mu    sync.Mutex
	ids   map[string]string
	group singleflight.Group
}

func (p *projectCache) cached(key string) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	id, ok := p.ids[key]
	return id, ok
}

func (p *projectCache) store(key, id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ids == nil {
		p.ids = map[string]string{}
	}
	p.ids[key] = id
}

// ProjectID returns the project id of a region ("" = Config.Region). The
// first of: Config.ProjectID (or the shared profile's projectId) for the
// configured region; else the one IAM project named Config.ProjectName
// (for the configured region; default the region's name), looked up once
// with GET {iam}/v3/projects?name=... A request's own project id, when the
// caller has one, goes in Request.Params and never reaches here. Project
// ids are per region, so the configured one is not reused for others.
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
	name := region
	if c.cfg.ProjectName != "" && region == c.cfg.Region {
		name = c.cfg.ProjectName
	}
	key := region + "\x00" + name
	if id, ok := c.projects.cached(key); ok {
		return id, nil
	}
	for {
		ch := c.projects.group.DoChan(key, func() (any, error) {
			if id, ok := c.projects.cached(key); ok {
				return id, nil
			}
			id, err := c.lookupProjectID(ctx, region, name)
			if err == nil {
				c.projects.store(key, id)
			}
			return id, err
		})
		var res singleflight.Result
		select {
		case res = <-ch:
		case <-ctx.Done():
			return "", ctx.Err()
		}
		// A shared call that died with its leader's context says nothing
		// about ours: try again, this time perhaps as the leader.
		if res.Shared && res.Err != nil && ctx.Err() == nil &&
			(errors.Is(res.Err, context.Canceled) || errors.Is(res.Err, context.DeadlineExceeded)) {
			continue
		}
		if res.Err != nil {
			return "", res.Err
		}
		return res.Val.(string), nil
	}
}

func (c *Client) lookupProjectID(ctx context.Context, region, name string) (string, error) {
	resp, err := c.Get(ctx, Request{
		Service: IAMService,
		Region:  region,
		Path:    "/v3/projects",
		Query:   url.Values{"name": {name}},
	})
	if err != nil {
		// The cause comes first; the look-up is only where it happened.
		how := fmt.Sprintf("while looking up the id of project %s in IAM; setting project_id (HW_PROJECT_ID) skips the look-up", name)
		if authErr := withAuthContext(err, how); authErr != nil {
			return "", authErr
		}
		var hostErr *HostNotFoundError
		var credErr *CredentialError
		if errors.As(err, &hostErr) || errors.As(err, &credErr) {
			return "", fmt.Errorf("%w (%s)", err, how)
		}
		return "", fmt.Errorf("looking up the id of project %s (region %s) in IAM: %w", name, region, err)
	}
	var answer struct {
		Projects []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"projects"`
	}
	if err := json.Unmarshal(resp.Body, &answer); err != nil {
		return "", fmt.Errorf("looking up the id of project %s: IAM answered %s with undecodable JSON: %w", name, resp.Path, err)
	}
	// IAM filters by name already; checking again guards against a
	// gateway or an emulator that ignores the filter.
	var ids []string
	for _, p := range answer.Projects {
		if p.Name == name && p.ID != "" {
			ids = append(ids, p.ID)
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		return "", fmt.Errorf("no IAM project named %q is visible to these credentials in region %s; check region (HW_REGION_NAME) and project_name (HW_PROJECT_NAME), or set project_id (HW_PROJECT_ID)", name, region)
	default:
		return "", fmt.Errorf("%d IAM projects are named %q (ids %s); set project_id (or HW_PROJECT_ID) to choose one for region %s",
			len(ids), name, strings.Join(ids, ", "), region)
	}
}
