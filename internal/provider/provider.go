// Package provider is the Terraform edge of hwcjobs: the provider's
// configuration, and one generic job data source and one generic wait
// resource, instantiated once per service that package jobs describes.
package provider

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
)

var _ provider.Provider = (*hwcjobsProvider)(nil)

// New returns a constructor for the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &hwcjobsProvider{version: version, getenv: os.Getenv}
	}
}

type hwcjobsProvider struct {
	version string
	getenv  func(string) string
}

// providerData is what Configure hands every data source and resource: the
// one client (with its rate limiter and project cache) and the defaults.
type providerData struct {
	client *hwc.Client
	region string
}

type providerModel struct {
	Region            types.String  `tfsdk:"region"`
	ProjectID         types.String  `tfsdk:"project_id"`
	AccessKey         types.String  `tfsdk:"access_key"`
	SecretKey         types.String  `tfsdk:"secret_key"`
	SecurityToken     types.String  `tfsdk:"security_token"`
	AuthToken         types.String  `tfsdk:"auth_token"`
	Cloud             types.String  `tfsdk:"cloud"`
	Endpoints         types.Object  `tfsdk:"endpoints"`
	Insecure          types.Bool    `tfsdk:"insecure"`
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
	RequestTimeout    types.String  `tfsdk:"request_timeout"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
}

// endpointKeys are the services whose base URL can be set, with the
// environment variable for each.
var endpointKeys = []struct{ key, env, title string }{
	{"ecs", "HW_ECS_ENDPOINT", "ECS"},
	{"elb", "HW_ELB_ENDPOINT", "ELB"},
	{"sdrs", "HW_SDRS_ENDPOINT", "SDRS"},
	{"sfs_turbo", "HW_SFS_TURBO_ENDPOINT", "SFS Turbo"},
	{"iam", "HW_IAM_ENDPOINT", "IAM"},
}

const (
	defaultCloud          = "myhuaweicloud.com"
	defaultMaxRetries     = 5
	defaultRequestTimeout = 30 * time.Second
)

func (p *hwcjobsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "hwcjobs"
	resp.Version = p.version
}

func (p *hwcjobsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	endpoints := map[string]schema.Attribute{}
	for _, e := range endpointKeys {
		endpoints[e.key] = schema.StringAttribute{
			Optional:    true,
			Description: fmt.Sprintf("Base URL of the %s API (`scheme://host[:port][/prefix]`), to which the API path is appended. Falls back to `%s`; default `https://%s.{region}.{cloud}`.", e.title, e.env, strings.ReplaceAll(e.key, "_", "-")),
			Validators:  []validator.String{endpointValidator},
		}
	}
	resp.Schema = schema.Schema{
		Description: "Reads Huawei Cloud asynchronous jobs (ECS, ELB v3, SDRS, SFS Turbo) and waits for them to finish.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:    true,
				Description: "The region, such as `cn-north-4`. Falls back to `HW_REGION_NAME`; required in the end.",
				Validators:  []validator.String{regionValidator},
			},
			"project_id": schema.StringAttribute{
				Optional:    true,
				Description: "The project ID. Falls back to `HW_PROJECT_ID`; when unset, it is looked up once through IAM by the region's name.",
				Validators:  []validator.String{pathParamValidator},
			},
			"access_key": schema.StringAttribute{
				Optional:    true,
				Description: "The access key (AK) for AK/SK request signing. Falls back to `HW_ACCESS_KEY`.",
			},
			"secret_key": schema.StringAttribute{
				Optional: true, Sensitive: true,
				Description: "The secret key (SK) for AK/SK request signing. Falls back to `HW_SECRET_KEY`.",
			},
			"security_token": schema.StringAttribute{
				Optional: true, Sensitive: true,
				Description: "The security token of temporary AK/SK credentials, sent as `X-Security-Token`. Falls back to `HW_SECURITY_TOKEN`.",
			},
			"auth_token": schema.StringAttribute{
				Optional: true, Sensitive: true,
				Description: "An IAM token sent as `X-Auth-Token` instead of signing requests. Falls back to `HW_AUTH_TOKEN`. Use either this or `access_key` and `secret_key`.",
			},
			"cloud": schema.StringAttribute{
				Optional:    true,
				Description: "The domain suffix of the endpoints. Falls back to `HW_CLOUD`; default `" + defaultCloud + "`.",
				Validators:  []validator.String{stringvalidator.RegexMatches(hostnamePattern, "must be a domain name such as myhuaweicloud.com")},
			},
			"endpoints": schema.SingleNestedAttribute{
				Optional:    true,
				Description: "Base URLs that replace the default endpoints, for private clouds or the local emulator. Each also falls back to `HW_<SERVICE>_ENDPOINT`.",
				Attributes:  endpoints,
			},
			"insecure": schema.BoolAttribute{
				Optional:    true,
				Description: "Skip TLS certificate verification. Falls back to `HW_INSECURE`; default false.",
			},
			"max_retries": schema.Int64Attribute{
				Optional:    true,
				Description: "How many times one HTTP request is retried on 429, 500, 502, 503, 504 and network errors. Falls back to `HW_MAX_RETRIES`; default 5; 0 disables retries.",
				Validators:  []validator.Int64{int64validator.AtLeast(0)},
			},
			"request_timeout": schema.StringAttribute{
				Optional:    true,
				Description: "Bound on one HTTP attempt, a duration such as `30s` or `1m`; default `30s`.",
				Validators:  []validator.String{durationValidator},
			},
			"requests_per_second": schema.Float64Attribute{
				Optional:    true,
				Description: "One request-rate limit shared by every data source and resource of this provider instance, retries included; default 0, unlimited.",
				Validators:  []validator.Float64{float64validator.AtLeast(0)},
			},
		},
	}
}

func (p *hwcjobsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, diags := p.clientConfig(ctx, m)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = "terraform-provider-hwcjobs/" + p.version + " terraform/" + req.TerraformVersion
	client, err := hwc.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider configuration", err.Error())
		return
	}
	if cfg.Insecure && allPlainHTTP(cfg.Endpoints) {
		resp.Diagnostics.AddWarning("insecure has no effect", "`insecure` (HW_INSECURE) skips TLS verification, but every endpoint is plain http://.")
	}
	data := &providerData{client: client, region: cfg.Region}
	resp.DataSourceData = data
	resp.ResourceData = data
}

// clientConfig merges the HCL configuration with the environment and checks
// the result as a whole. Each problem is one diagnostic naming the attribute
// and the variable to set.
func (p *hwcjobsProvider) clientConfig(ctx context.Context, m providerModel) (hwc.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	str := func(v types.String, attr, env string) string {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(attr), "Unknown "+attr,
				fmt.Sprintf("The provider's %s is not known until apply; set it to a known value or use %s.", attr, env))
			return ""
		}
		if !v.IsNull() {
			return v.ValueString()
		}
		return p.getenv(env)
	}
	cfg := hwc.Config{
		Region:        str(m.Region, "region", "HW_REGION_NAME"),
		ProjectID:     str(m.ProjectID, "project_id", "HW_PROJECT_ID"),
		AccessKey:     str(m.AccessKey, "access_key", "HW_ACCESS_KEY"),
		SecretKey:     str(m.SecretKey, "secret_key", "HW_SECRET_KEY"),
		SecurityToken: str(m.SecurityToken, "security_token", "HW_SECURITY_TOKEN"),
		AuthToken:     str(m.AuthToken, "auth_token", "HW_AUTH_TOKEN"),
		Cloud:         str(m.Cloud, "cloud", "HW_CLOUD"),
		Endpoints:     map[string]string{},
	}
	if cfg.Cloud == "" {
		cfg.Cloud = defaultCloud
	}
	var configured map[string]types.String
	if !m.Endpoints.IsNull() && !m.Endpoints.IsUnknown() {
		configured = map[string]types.String{}
		for k, v := range m.Endpoints.Attributes() {
			if s, ok := v.(types.String); ok {
				configured[k] = s
			}
		}
	}
	for _, e := range endpointKeys {
		v := configured[e.key]
		if v.IsNull() || v.IsUnknown() {
			v = types.StringNull()
		}
		u := str(v, "endpoints."+e.key, e.env)
		if u == "" {
			continue
		}
		if err := checkEndpoint(u); err != nil {
			diags.AddAttributeError(path.Root("endpoints").AtName(e.key), "Invalid endpoint",
				fmt.Sprintf("endpoints.%s (or %s): %v", e.key, e.env, err))
			continue
		}
		cfg.Endpoints[e.key] = strings.TrimSuffix(u, "/")
	}

	cfg.Insecure = m.Insecure.ValueBool()
	if m.Insecure.IsNull() {
		if v := p.getenv("HW_INSECURE"); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				diags.AddAttributeError(path.Root("insecure"), "Invalid HW_INSECURE", fmt.Sprintf("HW_INSECURE must be true or false, got %q.", v))
			}
			cfg.Insecure = b
		}
	}
	cfg.MaxRetries = defaultMaxRetries
	if !m.MaxRetries.IsNull() {
		cfg.MaxRetries = int(m.MaxRetries.ValueInt64())
	} else if v := p.getenv("HW_MAX_RETRIES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid HW_MAX_RETRIES", fmt.Sprintf("HW_MAX_RETRIES must be a whole number of 0 or more, got %q.", v))
		}
		cfg.MaxRetries = n
	}
	cfg.RequestTimeout = defaultRequestTimeout
	if !m.RequestTimeout.IsNull() {
		cfg.RequestTimeout, _ = time.ParseDuration(m.RequestTimeout.ValueString()) // validated at plan time
	}
	cfg.RequestsPerSecond = m.RequestsPerSecond.ValueFloat64()

	switch {
	case m.Region.IsUnknown(): // already reported
	case cfg.Region == "":
		diags.AddAttributeError(path.Root("region"), "Missing region",
			"Set the provider's region (for example region = \"cn-north-4\") or the HW_REGION_NAME environment variable.")
	case !regionPattern.MatchString(cfg.Region):
		diags.AddAttributeError(path.Root("region"), "Invalid region", fmt.Sprintf("region (or HW_REGION_NAME) %q must be lower-case letters, digits and hyphens, such as cn-north-4.", cfg.Region))
	}
	if cfg.ProjectID != "" {
		if err := hwc.ValidatePathParam("project_id", cfg.ProjectID); err != nil {
			diags.AddAttributeError(path.Root("project_id"), "Invalid project_id", err.Error()+" (provider project_id or HW_PROJECT_ID)")
		}
	}
	diags.Append(checkCredentials(cfg)...)
	tflog.Debug(ctx, "provider configured", map[string]any{"region": cfg.Region, "endpoints": len(cfg.Endpoints), "max_retries": cfg.MaxRetries})
	return cfg, diags
}

// checkCredentials requires exactly one usable kind of credential.
func checkCredentials(cfg hwc.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	aksk := cfg.AccessKey != "" || cfg.SecretKey != ""
	token := cfg.AuthToken != ""
	switch {
	case aksk && token:
		diags.AddError("Conflicting credentials",
			"Both an access key/secret key and an auth token are set. Use one kind: access_key and secret_key (HW_ACCESS_KEY, HW_SECRET_KEY), or auth_token (HW_AUTH_TOKEN).")
	case cfg.AccessKey != "" && cfg.SecretKey == "":
		diags.AddAttributeError(path.Root("secret_key"), "Missing secret key",
			"access_key (or HW_ACCESS_KEY) is set but secret_key is not: set secret_key or HW_SECRET_KEY.")
	case cfg.SecretKey != "" && cfg.AccessKey == "":
		diags.AddAttributeError(path.Root("access_key"), "Missing access key",
			"secret_key (or HW_SECRET_KEY) is set but access_key is not: set access_key or HW_ACCESS_KEY.")
	case !aksk && !token:
		diags.AddError("Missing credentials",
			"Set access_key and secret_key (or HW_ACCESS_KEY and HW_SECRET_KEY), optionally with security_token (HW_SECURITY_TOKEN) for temporary credentials; or set auth_token (HW_AUTH_TOKEN) to an IAM token.")
	case token && cfg.SecurityToken != "":
		diags.AddAttributeError(path.Root("security_token"), "Conflicting credentials",
			"security_token (HW_SECURITY_TOKEN) belongs to temporary AK/SK credentials and cannot be used with auth_token (HW_AUTH_TOKEN).")
	}
	return diags
}

// checkEndpoint accepts an http(s) base URL with a host, an optional port and
// path prefix, and nothing else.
func checkEndpoint(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %w", s, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%q must start with https:// or http://", s)
	case u.Host == "" || u.Hostname() == "":
		return fmt.Errorf("%q has no host", s)
	case u.User != nil:
		return fmt.Errorf("%q must not carry credentials", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(s, "?#"):
		return fmt.Errorf("%q must not have a query or fragment: the API path and query are appended to it", s)
	}
	return nil
}

func allPlainHTTP(endpoints map[string]string) bool {
	if len(endpoints) < len(endpointKeys) {
		return false
	}
	for _, u := range endpoints {
		if !strings.HasPrefix(u, "http://") {
			return false
		}
	}
	return true
}

func (p *hwcjobsProvider) Resources(_ context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, s := range jobs.All() {
		out = append(out, newWaitResource(s))
	}
	return out
}

func (p *hwcjobsProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, s := range jobs.All() {
		out = append(out, newJobDataSource(s))
	}
	return out
}
