package sdkcompat

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/impl"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	bms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/bms/v1"
	bmsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/bms/v1/model"
	cce "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3"
	ccemodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
	ecs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2"
	ecsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2/model"
	elb "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/elb/v3"
	elbmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/elb/v3/model"
	evs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/evs/v2"
	evsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/evs/v2/model"
	sdrs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sdrs/v1"
	sdrsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sdrs/v1/model"
	sfsturbo "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sfsturbo/v1"
	sfsturbomodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sfsturbo/v1/model"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// sdkCall is one service's job-read call in the official SDK: its client
// builder (some carry their own error handler) and the call, which
// decodes into the SDK's own response model.
type sdkCall struct {
	name    string // as the SDK's docs name it
	builder func() *core.HcHttpClientBuilder
	read    func(hc *core.HcHttpClient, jobID string) (any, error)
}

// sdkCalls is keyed by service name, so that a service the emulator serves
// is covered as soon as it is in the list the emulator is built from; a
// served service missing here fails the test.
var sdkCalls = map[string]sdkCall{
	"ecs": {"ecs/v2 ShowJob", ecs.EcsClientBuilder, func(hc *core.HcHttpClient, id string) (any, error) {
		return ecs.NewEcsClient(hc).ShowJob(&ecsmodel.ShowJobRequest{JobId: id})
	}},
	"elb": {"elb/v3 ShowJob", elb.ElbClientBuilder, func(hc *core.HcHttpClient, id string) (any, error) {
		return elb.NewElbClient(hc).ShowJob(&elbmodel.ShowJobRequest{JobId: id})
	}},
	"sdrs": {"sdrs/v1 ShowJobStatus", sdrs.SdrsClientBuilder, func(hc *core.HcHttpClient, id string) (any, error) {
		return sdrs.NewSdrsClient(hc).ShowJobStatus(&sdrsmodel.ShowJobStatusRequest{JobId: id})
	}},
	"sfs_turbo": {"sfsturbo/v1 ShowJobDetail", sfsturbo.SFSTurboClientBuilder, func(hc *core.HcHttpClient, id string) (any, error) {
		return sfsturbo.NewSFSTurboClient(hc).ShowJobDetail(&sfsturbomodel.ShowJobDetailRequest{JobId: id})
	}},
	"evs": {"evs/v2 ShowJob", evs.EvsClientBuilder, func(hc *core.HcHttpClient, id string) (any, error) {
		return evs.NewEvsClient(hc).ShowJob(&evsmodel.ShowJobRequest{JobId: id})
	}},
	"bms": {"bms/v1 ShowJobInfos", bms.BmsClientBuilder, func(hc *core.HcHttpClient, id string) (any, error) {
		return bms.NewBmsClient(hc).ShowJobInfos(&bmsmodel.ShowJobInfosRequest{JobId: id})
	}},
	"cce": {"cce/v3 ShowJob", cce.CceClientBuilder, func(hc *core.HcHttpClient, id string) (any, error) {
		return cce.NewCceClient(hc).ShowJob(&ccemodel.ShowJobRequest{JobId: id})
	}},
}

// A temporary access key the emulator knows, for the security-token case.
const (
	tempAccessKey     = "HWCJOBSTEMPACCESSKEY"
	tempSecretKey     = "hwcjobs-temporary-secret-key"
	tempSecurityToken = "hwcjobs-security-token-for-the-temporary-key"
)

// TestMain clears every HUAWEICLOUD_SDK_* variable, so that nothing in the
// environment can steer the SDK (its default credential chain reads them,
// and would fall back to the metadata service at 169.254.169.254), and any
// proxy. The test always passes explicit credentials and endpoints.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "HUAWEICLOUD_SDK_") || strings.HasSuffix(strings.ToUpper(name), "_PROXY") {
			os.Unsetenv(name)
		}
	}
	os.Exit(m.Run())
}

// loopbackOnly is the SDK's transport: no proxy, and a dialer that refuses
// (and records) any address but loopback, so that no request of the SDK
// can leave the machine whatever it decides to do.
type loopbackOnly struct {
	mu      sync.Mutex
	refused []string
}

func (l *loopbackOnly) transport() *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				l.mu.Lock()
				l.refused = append(l.refused, addr)
				l.mu.Unlock()
				return nil, fmt.Errorf("sdkcompat: refusing to dial %s: loopback only", addr)
			}
			return d.DialContext(ctx, network, addr)
		},
	}
}

// tokenCredential authenticates with an IAM token (X-Auth-Token). The
// official Go SDK has no credential type for a token (only AK/SK, with or
// without a security token, and federated ones), so this small one,
// written here, covers the provider's third way in: it implements the
// SDK's auth.ICredential, fills the project id into the path and the
// X-Project-Id header as the SDK's own basic credentials do, and signs
// nothing.
type tokenCredential struct {
	token, projectID string
}

var _ auth.ICredential = (*tokenCredential)(nil)

// ProcessAuthParams would look the project up; it is given.
func (c *tokenCredential) ProcessAuthParams(*impl.DefaultHttpClient, string) (auth.ICredential, error) {
	return c, nil
}

// ProcessAuthRequest adds the token and the project.
func (c *tokenCredential) ProcessAuthRequest(_ *impl.DefaultHttpClient, req *request.DefaultHttpRequest) (*request.DefaultHttpRequest, error) {
	req.Builder().
		AddAutoFilledPathParam("project_id", c.projectID).
		AddHeaderParam("X-Project-Id", c.projectID).
		AddHeaderParam("X-Auth-Token", c.token).
		Build()
	return req, nil
}

// credentialKinds are the three ways the provider authenticates, in the
// SDK's terms. Each is built explicitly with the project id, so that the
// SDK neither looks it up nor reaches for its default credential chain.
func credentialKinds(t *testing.T, iamURL string) map[string]auth.ICredential {
	t.Helper()
	aksk, err := basic.NewCredentialsBuilder().
		WithAk(emulator.DemoAccessKey).WithSk(emulator.DemoSecretKey).
		WithProjectId(emulator.DefaultProjectID).WithIamEndpointOverride(iamURL).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	temp, err := basic.NewCredentialsBuilder().
		WithAk(tempAccessKey).WithSk(tempSecretKey).WithSecurityToken(tempSecurityToken).
		WithProjectId(emulator.DefaultProjectID).WithIamEndpointOverride(iamURL).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return map[string]auth.ICredential{
		"aksk":           aksk,
		"security_token": temp,
		"iam_token":      &tokenCredential{token: emulator.DemoAuthToken, projectID: emulator.DefaultProjectID},
	}
}

// TestOfficialSDKReadsEverySeedJob starts the emulator in process in
// per-service mode and reads every seed job of every service it serves
// through that service's job-read call of the official SDK, with each kind
// of credential, checking the SDK's decoded model against the seed body.
func TestOfficialSDKReadsEverySeedJob(t *testing.T) {
	srv := emulator.New(emulator.Options{
		Services: service.All(),
		Credentials: map[string]emulator.Credential{
			emulator.DemoAccessKey: {SecretKey: emulator.DemoSecretKey},
			tempAccessKey:          {SecretKey: tempSecretKey, SecurityToken: tempSecurityToken},
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	endpoints, done, err := srv.ListenPerService(ctx, "127.0.0.1", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	urls := map[string]string{}
	for _, e := range endpoints {
		urls[e.Name] = e.URL
	}
	guard := &loopbackOnly{}
	creds := credentialKinds(t, urls[emulator.IAMName])
	kinds := make([]string, 0, len(creds))
	for k := range creds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)

	for _, svc := range srv.Services() {
		call, ok := sdkCalls[svc.Name]
		if !ok {
			t.Errorf("the emulator serves %s, which has no SDK call here: add its job-read call to sdkCalls", svc.Name)
			continue
		}
		seeds := svc.Seeds()
		if len(seeds) == 0 {
			t.Errorf("%s has no seed job", svc.Name)
		}
		for _, kind := range kinds {
			for _, seed := range seeds {
				t.Run(svc.Name+"/"+kind+"/"+seed.File, func(t *testing.T) {
					id := seedJobID(t, svc, seed.Body)
					b := call.builder().
						WithEndpoints([]string{urls[svc.Name]}).
						WithCredential(creds[kind]).
						WithHttpConfig(config.DefaultHttpConfig().WithHttpTransport(guard.transport()).WithTimeout(10 * time.Second))
					if _, custom := creds[kind].(*tokenCredential); custom {
						// The SDK checks a credential's type by name.
						b = b.WithCredentialsType(reflect.TypeOf(tokenCredential{}).String())
					}
					hc, err := b.SafeBuild()
					if err != nil {
						t.Fatal(err)
					}
					resp, err := call.read(hc, id)
					if err != nil {
						t.Fatalf("%s %s: %v", call.name, id, err)
					}
					got, err := json.Marshal(resp)
					if err != nil {
						t.Fatal(err)
					}
					if diffs := subset(t, seed.Body, got); len(diffs) > 0 {
						t.Fatalf("%s %s: the SDK's %T differs from the seed body:\n  %s", call.name, id, resp, strings.Join(diffs, "\n  "))
					}
					t.Logf("%-26s %-14s %s: %T matches the seed (%d values)", call.name, kind, id, resp, countValues(seed.Body))
				})
			}
		}
	}
	// The same call with a wrong secret, or a wrong token, must be refused:
	// the reads above were checked, not waved through.
	wrongSK, err := basic.NewCredentialsBuilder().WithAk(emulator.DemoAccessKey).WithSk("not-the-secret").
		WithProjectId(emulator.DefaultProjectID).WithIamEndpointOverride(urls[emulator.IAMName]).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	for kind, cred := range map[string]auth.ICredential{"wrong secret key": wrongSK, "wrong token": &tokenCredential{"not-a-token", emulator.DefaultProjectID}} {
		b := ecs.EcsClientBuilder().WithEndpoints([]string{urls["ecs"]}).WithCredential(cred).
			WithHttpConfig(config.DefaultHttpConfig().WithHttpTransport(guard.transport()).WithRetries(0))
		if _, custom := cred.(*tokenCredential); custom {
			b = b.WithCredentialsType(reflect.TypeOf(tokenCredential{}).String())
		}
		hc, err := b.SafeBuild()
		if err != nil {
			t.Fatal(err)
		}
		_, err = sdkCalls["ecs"].read(hc, emulator.SeedJobID(service.ECS))
		if err == nil || !strings.Contains(err.Error(), "APIGW.0301") {
			t.Errorf("%s: want the gateway's 401 APIGW.0301, got %v", kind, err)
		} else {
			t.Logf("%-41s %s: refused (APIGW.0301)", "ecs/v2 ShowJob", kind)
		}
	}

	if len(guard.refused) > 0 {
		t.Errorf("the SDK tried to reach non-loopback addresses: %v", guard.refused)
	}
	c := srv.Counters()
	if c.IAMCalls != 0 {
		t.Errorf("the SDK called IAM %d times; the project id was given", c.IAMCalls)
	}
	if c.Statuses[http.StatusOK] != c.Requests-2 || c.Statuses[http.StatusUnauthorized] != 2 {
		t.Errorf("answers by status %v for %d requests: want all 200 but the two refused", c.Statuses, c.Requests)
	}
	t.Logf("%d requests to %d per-service ports: %d answered 200, 2 refused with 401; no IAM look-up, nothing off loopback",
		c.Requests, len(endpoints), c.Statuses[http.StatusOK])
}

// seedJobID reads the job id out of a seed body, where the service's
// description puts it.
func seedJobID(t *testing.T, svc *service.Service, body []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if svc.Envelope != "" {
		v = v.(map[string]any)[svc.Envelope]
	}
	for _, f := range service.RolePath(svc.Fields, service.ID) {
		v = v.(map[string]any)[f.Key]
	}
	id, ok := v.(string)
	if !ok || id == "" {
		t.Fatalf("%s seed: no job id", svc.Name)
	}
	return id
}

// subset lists where got (the SDK's model, re-encoded) differs from want
// (the seed body): every value of the seed must be in the model, equal; a
// null of the seed must be absent, null or (in a field that is not a
// pointer) the zero value in the model. Keys the model has
// beyond the seed (HTTP headers it maps, say) are not differences.
func subset(t *testing.T, want, got []byte) []string {
	t.Helper()
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	var diffs []string
	var walk func(at string, w, g any)
	walk = func(at string, w, g any) {
		switch wv := w.(type) {
		case nil:
			// A model field that is not a pointer cannot hold null: Go's
			// decoder leaves it at its zero value, which it then writes.
			if g != nil && g != "" && g != float64(0) && g != false {
				diffs = append(diffs, fmt.Sprintf("%s: seed null, SDK %v", at, g))
			}
		case map[string]any:
			gv, ok := g.(map[string]any)
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s: seed object, SDK %T", at, g))
				return
			}
			for k, x := range wv {
				walk(at+"."+k, x, gv[k])
			}
		case []any:
			gv, ok := g.([]any)
			if !ok || len(gv) != len(wv) {
				diffs = append(diffs, fmt.Sprintf("%s: seed list of %d, SDK %v", at, len(wv), g))
				return
			}
			for i := range wv {
				walk(fmt.Sprintf("%s[%d]", at, i), wv[i], gv[i])
			}
		default:
			if !reflect.DeepEqual(w, g) {
				diffs = append(diffs, fmt.Sprintf("%s: seed %v, SDK %v", at, w, g))
			}
		}
	}
	walk("$", w, g)
	return diffs
}

// countValues counts the non-null leaves of a JSON body.
func countValues(body []byte) int {
	var v any
	_ = json.Unmarshal(body, &v)
	var n func(any) int
	n = func(v any) int {
		switch x := v.(type) {
		case nil:
			return 0
		case map[string]any:
			s := 0
			for _, y := range x {
				s += n(y)
			}
			return s
		case []any:
			s := 0
			for _, y := range x {
				s += n(y)
			}
			return s
		}
		return 1
	}
	return n(v)
}
