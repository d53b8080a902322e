package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// accEnv is one test's own emulator on 127.0.0.1 and a provider configured
// for it. The provider sees only env, never the process environment, so
// the tests do not depend on the shell's HW_* variables.
type accEnv struct {
	emu      *emulator.Server
	services []*service.Service
	url      string
	env      map[string]string
}

// newAccEnv starts an emulator for opts.Services (nil: the production
// list); the provider serves the same services.
func newAccEnv(t *testing.T, opts emulator.Options) *accEnv {
	t.Helper()
	if opts.Services == nil {
		opts.Services = service.All()
	}
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &accEnv{emu: emu, services: opts.Services, url: srv.URL, env: map[string]string{}}
}

func (e *accEnv) provider() *hwcjobsProvider {
	return &hwcjobsProvider{version: "test", services: e.services, getenv: func(k string) string { return e.env[k] }}
}

// factories serves a fresh provider instance to each Terraform command.
func (e *accEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"hwcjobs": func() (tfprotov6.ProviderServer, error) {
			return providerserver.NewProtocol6WithError(e.provider())()
		},
	}
}

// endpoints is the provider's endpoints attribute for the emulator: each
// service under its host label, and IAM.
func (e *accEnv) endpoints() string {
	var b strings.Builder
	b.WriteString("{\n")
	for _, svc := range e.services {
		fmt.Fprintf(&b, "    %s = %q\n", svc.Name, e.url+"/"+svc.Host)
	}
	fmt.Fprintf(&b, "    iam = %q\n  }", e.url+"/iam")
	return b.String()
}

// config is a provider block for the emulator with the demo AK/SK and
// project, plus attrs (which may override any of them), followed by body.
func (e *accEnv) config(attrs, body string) string {
	defaults := map[string]string{
		"region":     `"` + emulator.DefaultRegion + `"`,
		"project_id": `"` + emulator.DefaultProjectID + `"`,
		"access_key": `"` + emulator.DemoAccessKey + `"`,
		"secret_key": `"` + emulator.DemoSecretKey + `"`,
		"endpoints":  e.endpoints(),
	}
	var b strings.Builder
	b.WriteString("provider \"hwcjobs\" {\n")
	for _, line := range strings.Split(strings.TrimSpace(attrs), "\n") {
		if name, value, ok := strings.Cut(line, "="); ok {
			name = strings.TrimSpace(name)
			if value = strings.TrimSpace(value); value == "null" {
				delete(defaults, name)
			} else {
				defaults[name] = value
			}
		}
	}
	for _, k := range []string{"region", "project_id", "access_key", "secret_key", "endpoints"} {
		if v, ok := defaults[k]; ok {
			fmt.Fprintf(&b, "  %s = %s\n", k, v)
			delete(defaults, k)
		}
	}
	for k, v := range defaults {
		fmt.Fprintf(&b, "  %s = %s\n", k, v)
	}
	b.WriteString("}\n\n")
	b.WriteString(body)
	return b.String()
}

// fixedJob names one of the emulator's fixed jobs of svc.
func fixedJob(svc *service.Service, status string) string {
	return emulator.FixedJobID(svc, status)
}

// roleAt is the state path of the field of role r in svc's job.
func roleAt(svc *service.Service, r service.Role) []any { return rolePath(svc.Fields, r) }

func rolePath(fields []service.Field, r service.Role) []any {
	var out []any
	for _, f := range service.RolePath(fields, r) {
		out = append(out, f.Name())
	}
	return out
}

// subJobFields describes one of svc's sub-jobs.
func subJobFields(svc *service.Service) []service.Field {
	p := service.RolePath(svc.Fields, service.SubJobs)
	return p[len(p)-1].Fields
}

// subAt is the state path of attribute name of sub-job i.
func subAt(svc *service.Service, i int, name string) []any {
	return append(append(roleAt(svc, service.SubJobs), i), name)
}

// subRoleAt is the state path of the field of role r in sub-job i, nil
// when sub-jobs have no such field.
func subRoleAt(svc *service.Service, i int, r service.Role) []any {
	in := rolePath(subJobFields(svc), r)
	if in == nil {
		return nil
	}
	return append(append(roleAt(svc, service.SubJobs), i), in...)
}

// check is shorthand for a state check of one attribute path. An empty
// path is a role the service has no field for (CCE has no error code and
// no end time): there is nothing to check.
func check(addr string, value knownvalue.Check, steps ...any) statecheck.StateCheck {
	if len(steps) == 0 {
		return noCheck{}
	}
	p := tfjsonpath.New(steps[0].(string))
	for _, s := range steps[1:] {
		switch s := s.(type) {
		case string:
			p = p.AtMapKey(s)
		case int:
			p = p.AtSliceIndex(s)
		}
	}
	return statecheck.ExpectKnownValue(addr, p, value)
}

// noCheck checks nothing.
type noCheck struct{}

func (noCheck) CheckState(context.Context, statecheck.CheckStateRequest, *statecheck.CheckStateResponse) {
}

var (
	null      = knownvalue.Null()
	requestID = knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))
	str       = knownvalue.StringExact
)

// readDirect runs a data source's Read in process, as Terraform would after
// configuring the provider with attrs, and returns its diagnostics and
// state: acceptance tests cannot see warnings, this can.
func (e *accEnv) readDirect(t *testing.T, svc *service.Service, providerAttrs map[string]tftypes.Value, args map[string]tftypes.Value) (diag.Diagnostics, tfsdk.State) {
	t.Helper()
	ctx := context.Background()
	configureResp := e.configured(t, providerAttrs)
	if configureResp.Diagnostics.HasError() {
		return configureResp.Diagnostics, tfsdk.State{}
	}

	ds := newJobDataSource(svc)().(*jobDataSource)
	ds.Configure(ctx, datasource.ConfigureRequest{ProviderData: configureResp.DataSourceData}, &datasource.ConfigureResponse{})
	var sr datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
	raw := objectWith(ctx, sr.Schema.Type().TerraformType(ctx), args)
	req := datasource.ReadRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: raw}}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: raw}}
	ds.Read(ctx, req, &resp)
	return resp.Diagnostics, resp.State
}

// configured configures a provider in process for the emulator, with the
// demo credentials and project unless attrs say otherwise.
func (e *accEnv) configured(t *testing.T, attrs map[string]tftypes.Value) provider.ConfigureResponse {
	t.Helper()
	cfg := map[string]tftypes.Value{
		"region":     tftypes.NewValue(tftypes.String, emulator.DefaultRegion),
		"project_id": tftypes.NewValue(tftypes.String, emulator.DefaultProjectID),
		"access_key": tftypes.NewValue(tftypes.String, emulator.DemoAccessKey),
		"secret_key": tftypes.NewValue(tftypes.String, emulator.DemoSecretKey),
	}
	for _, svc := range e.services {
		e.env[svc.EnvVar()] = e.url + "/" + svc.Host
	}
	e.env["HW_IAM_ENDPOINT"] = e.url + "/iam"
	for k, v := range attrs {
		cfg[k] = v
	}
	return configureDirect(context.Background(), e.provider(), cfg)
}

// configureDirect configures p in process with the given attributes.
func configureDirect(ctx context.Context, p *hwcjobsProvider, cfg map[string]tftypes.Value) provider.ConfigureResponse {
	var sr provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sr)
	raw := objectWith(ctx, sr.Schema.Type().TerraformType(ctx), cfg)
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: raw}}, &resp)
	return resp
}

// objectWith returns a null-filled object of type typ with vals set.
func objectWith(_ context.Context, typ tftypes.Type, vals map[string]tftypes.Value) tftypes.Value {
	obj := typ.(tftypes.Object)
	m := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, at := range obj.AttributeTypes {
		if v, ok := vals[name]; ok {
			m[name] = v
		} else {
			m[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, m)
}

func strVal(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// diagText joins diagnostics for assertions and failure messages.
func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%s] %s: %s\n", d.Severity(), d.Summary(), d.Detail())
	}
	return b.String()
}
