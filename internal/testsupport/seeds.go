package testsupport

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

// seedWants holds, for each example body of an API page
// (internal/service/seeds/<file>), what it must decode to:
// seeds/<file without .json>.want.json. They are written from the pages,
// never rendered from a service description, so a wrong path in a
// description fails a test.
//
//go:embed seeds/*.want.json
var seedWants embed.FS

// SeedWant is what one example body decodes to: the request id the body
// carries (nil when it carries none) and every attribute, flattened
// (entities.sub_jobs[0].job_id, sub_jobs.# for a list's length,
// spec.extend_param.serverID for a map entry), nil for null.
type SeedWant struct {
	RequestID  *string            `json:"request_id"`
	Attributes map[string]*string `json:"attributes"`
}

// WantOf returns what the seed file (e.g. "ecs.json") must decode to.
func WantOf(seedFile string) (SeedWant, error) {
	name := "seeds/" + strings.TrimSuffix(seedFile, ".json") + ".want.json"
	raw, err := seedWants.ReadFile(name)
	if err != nil {
		return SeedWant{}, fmt.Errorf("no expected values for seed %s: write %s in internal/testsupport from the API page", seedFile, name)
	}
	var w SeedWant
	if err := json.Unmarshal(raw, &w); err != nil {
		return SeedWant{}, fmt.Errorf("%s: %w", name, err)
	}
	if len(w.Attributes) == 0 {
		return SeedWant{}, fmt.Errorf("%s lists no attributes", name)
	}
	return w, nil
}
