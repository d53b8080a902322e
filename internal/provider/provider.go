// Package provider is the Terraform edge of hwcjobs: the provider's
// configuration, and one generic job data source, one generic wait
// resource and one generic wait action, instantiated once per service
// description it is built from.
package provider

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
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
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

var (
	_ provider.Provider            = (*hwcjobsProvider)(nil)
	_ provider.ProviderWithActions = (*hwcjobsProvider)(nil)
)

// New returns a constructor for the provider, as providerserver expects,
// serving one data source and one wait resource per service; production
// passes service.All().
func New(version string, services []*service.Service) func() provider.Provider {
	return func() provider.Provider {
		return &hwcjobsProvider{version: version, services: services, getenv: os.Getenv}
	}
}

type hwcjobsProvider struct {
	version  string
	services []*service.Service
	getenv   func(string) string
}

// providerData is what Configure hands every data source and resource: the
// one client (with its rate limiter and project cache) and the defaults.
type providerData struct {
	client *hwc.Client
	region string
}

type providerModel struct {
	Region            types.String         `tfsdk:"region"`
	ProjectID         types.String         `tfsdk:"project_id"`
	AccessKey         types.String         `tfsdk:"access_key"`
	SecretKey         types.String         `tfsdk:"secret_key"`
	SecurityToken     types.String         `tfsdk:"security_token"`
	AuthToken         types.String         `tfsdk:"auth_token"`
	Cloud             types.String         `tfsdk:"cloud"`
	Endpoints         types.Map            `tfsdk:"endpoints"`
	Insecure          types.Bool           `tfsdk:"insecure"`
	MaxRetries        types.Int64          `tfsdk:"max_retries"`
	RequestTimeout    timetypes.GoDuration `tfsdk:"request_timeout"`
	RequestsPerSecond types.Float64        `tfsdk:"requests_per_second"`
}

// endpointKey is one service whose base URL can be set: its keys in the
// endpoints map (the provider's own, and the official provider's spelling
// where it differs), its variable and its default host label.
type endpointKey struct {
	keys       []string
	env, title string
	host       string
	isService  bool
}

// endpointKeys derives the endpoints map's keys from the services, plus IAM.
func (p *hwcjobsProvider) endpointKeys() []endpointKey {
	out := make([]endpointKey, 0, len(p.services)+1)
	for _, s := range p.services {
		out = append(out, endpointKey{keys: s.EndpointKeys(), env: s.EnvVar(), title: s.Title, host: s.Host, isService: true})
	}
	return append(out, endpointKey{keys: []string{"iam"}, env: "HW_IAM_ENDPOINT", title: "IAM", host: "iam"})
}

// validEndpointKeys lists every key the endpoints map takes.
func (p *hwcjobsProvider) validEndpointKeys() []string {
	var out []string
	for _, e := range p.endpointKeys() {
		out = append(out, e.keys...)
	}
	return out
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
	var keyDocs, titles []string
	for _, e := range p.endpointKeys() {
		keyDocs = append(keyDocs, fmt.Sprintf("`%s` (%s, `%s`, default `https://%s.{region}.{cloud}`)", strings.Join(e.keys, "` or `"), e.title, e.env, e.host))
		if e.isService {
			titles = append(titles, e.title)
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads Huawei Cloud asynchronous jobs (" + strings.Join(titles, ", ") + ") and waits for them to finish.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The region, such as `cn-north-4`. Falls back to `HW_REGION_NAME`; required in the end.",
				Validators:          []validator.String{regionValidator},
			},
			"project_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The project ID. Falls back to `HW_PROJECT_ID`; when unset, it is looked up once through IAM by the region's name.",
				Validators:          []validator.String{pathParamValidator},
			},
			"access_key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The access key (AK) for AK/SK request signing. Falls back to `HW_ACCESS_KEY`.",
			},
			"secret_key": schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: "The secret key (SK) for AK/SK request signing. Falls back to `HW_SECRET_KEY`.",
			},
			"security_token": schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: "The security token of temporary AK/SK credentials, sent as `X-Security-Token`. Falls back to `HW_SECURITY_TOKEN`.",
			},
			"auth_token": schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: "An IAM token sent as `X-Auth-Token` instead of signing requests. Falls back to `HW_AUTH_TOKEN`. Use either this or `access_key` and `secret_key`.",
			},
			"cloud": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The domain suffix of the endpoints. Falls back to `HW_CLOUD`; default `" + defaultCloud + "`.",
				Validators:          []validator.String{stringvalidator.RegexMatches(hostnamePattern, "must be a domain name such as myhuaweicloud.com")},
			},
			"endpoints": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Base URLs (`scheme://host[:port][/prefix]`, to which the API path is appended) that replace the default endpoints, for private clouds or the local emulator, keyed by service: " +
					strings.Join(keyDocs, ", ") + ". Each falls back to its variable.",
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.OneOf(p.validEndpointKeys()...)),
					mapvalidator.ValueStringsAre(endpointValidator),
				},
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip TLS certificate verification. Falls back to `HW_INSECURE`; default false.",
			},
			"max_retries": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "How many times one HTTP request is retried on 429, 500, 502, 503, 504 and network errors. Falls back to `HW_MAX_RETRIES`; default 5; 0 disables retries.",
				Validators:          []validator.Int64{int64validator.AtLeast(0)},
			},
			"request_timeout": schema.StringAttribute{
				Optional:            true,
				CustomType:          timetypes.GoDurationType{},
				MarkdownDescription: "Bound on one HTTP attempt, a duration such as `30s` or `1m`; default `30s`.",
				Validators:          []validator.String{positiveDuration},
			},
			"requests_per_second": schema.Float64Attribute{
				Optional:            true,
				MarkdownDescription: "One request-rate limit shared by every data source and resource of this provider instance, retries included; default 0, unlimited.",
				Validators:          []validator.Float64{float64validator.AtLeast(0)},
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
	if cfg.Insecure && p.allPlainHTTP(cfg.Endpoints) {
		resp.Diagnostics.AddWarning("insecure has no effect", "`insecure` (HW_INSECURE) skips TLS verification, but every endpoint is plain http://.")
	}
	data := &providerData{client: client, region: cfg.Region}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ActionData = data
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
	configured := map[string]types.String{}
	if m.Endpoints.IsUnknown() {
		diags.AddAttributeError(path.Root("endpoints"), "Unknown endpoints", "The provider's endpoints are not known until apply; set them to known values or use the HW_<SERVICE>_ENDPOINT variables.")
	} else if !m.Endpoints.IsNull() {
		diags.Append(m.Endpoints.ElementsAs(ctx, &configured, false)...)
	}
	for _, e := range p.endpointKeys() {
		v, key := types.StringNull(), e.keys[0]
		for _, k := range e.keys {
			if c, ok := configured[k]; ok && !c.IsNull() {
				if !v.IsNull() {
					diags.AddAttributeError(path.Root("endpoints").AtMapKey(k), "Conflicting endpoints",
						fmt.Sprintf("endpoints.%s and endpoints.%s both name the %s endpoint: keep one.", key, k, e.title))
				}
				v, key = c, k
			}
		}
		u := str(v, "endpoints."+key, e.env)
		if u == "" {
			continue
		}
		if err := checkEndpoint(u); err != nil {
			diags.AddAttributeError(path.Root("endpoints").AtMapKey(key), "Invalid endpoint",
				fmt.Sprintf("endpoints.%s (or %s): %v", key, e.env, err))
			continue
		}
		cfg.Endpoints[e.keys[0]] = strings.TrimSuffix(u, "/")
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
	if !m.RequestTimeout.IsNull() && !m.RequestTimeout.IsUnknown() {
		d, ds := m.RequestTimeout.ValueGoDuration()
		diags.Append(ds...)
		cfg.RequestTimeout = d
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

func (p *hwcjobsProvider) allPlainHTTP(endpoints map[string]string) bool {
	if len(endpoints) < len(p.endpointKeys()) {
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
	for _, s := range p.services {
		out = append(out, newWaitResource(s))
	}
	return out
}

// Actions serves one wait action per service, under the wait resource's
// type name; Terraform 1.14 and later use them.
func (p *hwcjobsProvider) Actions(_ context.Context) []func() action.Action {
	var out []func() action.Action
	for _, s := range p.services {
		out = append(out, newWaitAction(s))
	}
	return out
}

func (p *hwcjobsProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, s := range p.services {
		out = append(out, newJobDataSource(s))
	}
	return out
}
