// Package provider is the Terraform edge of hwcjobs: the provider's
// configuration, and one generic job data source and one generic wait
// resource, instantiated once per service description it is built from.
package provider

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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

var _ provider.Provider = (*hwcjobsProvider)(nil)

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
	// dialContext, when set (tests only), replaces the client's dialer, so
	// that a test can see the host a request would go to without a DNS
	// query leaving the machine.
	dialContext func(ctx context.Context, network, addr string) (net.Conn, error)
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
	ProjectName       types.String         `tfsdk:"project_name"`
	AccessKey         types.String         `tfsdk:"access_key"`
	SecretKey         types.String         `tfsdk:"secret_key"`
	SecurityToken     types.String         `tfsdk:"security_token"`
	AuthToken         types.String         `tfsdk:"auth_token"`
	SharedConfigFile  types.String         `tfsdk:"shared_config_file"`
	Profile           types.String         `tfsdk:"profile"`
	UseECSMetadata    types.Bool           `tfsdk:"use_ecs_metadata"`
	AssumeRole        *assumeRoleModel     `tfsdk:"assume_role"`
	Cloud             types.String         `tfsdk:"cloud"`
	AuthURL           types.String         `tfsdk:"auth_url"`
	Endpoints         types.Map            `tfsdk:"endpoints"`
	CACertFile        types.String         `tfsdk:"cacert_file"`
	Cert              types.String         `tfsdk:"cert"`
	Key               types.String         `tfsdk:"key"`
	Insecure          types.Bool           `tfsdk:"insecure"`
	MaxRetries        types.Int64          `tfsdk:"max_retries"`
	RequestTimeout    timetypes.GoDuration `tfsdk:"request_timeout"`
	RequestsPerSecond types.Float64        `tfsdk:"requests_per_second"`
}

type assumeRoleModel struct {
	AgencyName types.String `tfsdk:"agency_name"`
	DomainName types.String `tfsdk:"domain_name"`
	Duration   types.Int64  `tfsdk:"duration"`
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
				MarkdownDescription: "The region, such as `cn-north-4`. Falls back to `HW_REGION_NAME`, then to the shared config profile's region; required in the end.",
				Validators:          []validator.String{regionValidator},
			},
			"project_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The project ID. Falls back to `HW_PROJECT_ID`, then to the shared config profile's `projectId`; when still unset, it is looked up once through IAM by `project_name`.",
				Validators:          []validator.String{pathParamValidator},
			},
			"project_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The IAM project looked up when `project_id` is unset, such as a sub-project `cn-north-4_dev`. Falls back to `HW_PROJECT_NAME`; default the region's name.",
				Validators:          []validator.String{checkValidator{desc: "must be a project name such as cn-north-4 or cn-north-4_dev", check: checkOf(hwc.CheckProjectName)}},
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
				MarkdownDescription: "An IAM token sent as `X-Auth-Token` instead of signing requests. Falls back to `HW_AUTH_TOKEN`. It is not refreshed: IAM tokens last 24 hours.",
			},
			"shared_config_file": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The KooCLI configuration file to read a profile from. Falls back to `HW_SHARED_CONFIG_FILE`; default `~/.hcloud/config.json`. Read only when this or `profile` is set.",
			},
			"profile": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The KooCLI profile to use (`AKSK` or `SSO` mode); its region and project fill what the provider block leaves unset, and its `agencyName`/`agencyDomainName` mean assume that agency. Falls back to `HW_PROFILE`; default the file's `current` profile.",
			},
			"use_ecs_metadata": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Take temporary credentials from the ECS instance metadata (the agency of the server Terraform runs on), refreshed before they expire. Falls back to `HW_USE_ECS_METADATA`; default false: the metadata address is never contacted otherwise.",
			},
			"cloud": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The domain suffix of the endpoints. Falls back to `HW_CLOUD`; default `myhuaweicloud.com`, or `myhuaweicloud.eu` for regions whose name starts with `eu-west-1`.",
				Validators:          []validator.String{checkValidator{desc: "must be a domain name such as myhuaweicloud.com", check: checkOf(hwc.CheckCloud)}},
			},
			"auth_url": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The IAM endpoint in the official provider's form, `/v3` included (default `https://iam.{region}.{cloud}/v3`). Falls back to `HW_AUTH_URL`. Do not set it together with `endpoints.iam`.",
				Validators:          []validator.String{checkValidator{desc: "must be an IAM URL such as https://iam.cn-north-4.myhuaweicloud.com/v3", check: checkOf(hwc.CheckAuthURL)}},
			},
			"endpoints": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Base URLs (`scheme://host[:port][/prefix]`, to which the API path is appended; no scheme means `https://`) that replace the default endpoints, for private clouds or the local emulator, keyed by service: " +
					strings.Join(keyDocs, ", ") + ". Each falls back to its variable.",
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.OneOf(p.validEndpointKeys()...)),
					mapvalidator.ValueStringsAre(endpointValidator),
				},
			},
			"cacert_file": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "A PEM bundle of CA certificates trusted for every call, besides the system's (private clouds, TLS-inspecting proxies). Falls back to `HW_CACERT_FILE`, then `OS_CACERT`.",
			},
			"cert": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "A client certificate (PEM file) presented to every endpoint; needs `key`. Falls back to `OS_CERT`.",
			},
			"key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The private key (PEM file) of `cert`. Falls back to `OS_KEY`.",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip TLS certificate verification, the last resort when `cacert_file` cannot help. Falls back to `HW_INSECURE`; default false.",
			},
			"max_retries": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "How many times one HTTP request is retried on 429, 500, 502, 503, 504 and network errors. Falls back to `HW_MAX_RETRIES`; default 5; 0 disables retries.",
				Validators:          []validator.Int64{maxRetriesValidator},
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
				Validators:          []validator.Float64{rpsValidator},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Trade the credentials above (all but `auth_token`) for an agency's temporary ones, refreshed before they expire. Each argument falls back to its variable.",
				Attributes: map[string]schema.Attribute{
					"agency_name": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "The agency to assume. Falls back to `HW_ASSUME_ROLE_AGENCY_NAME`.",
						Validators:          []validator.String{checkValidator{desc: "must be an IAM agency name", check: checkOf(hwc.CheckAgencyName)}},
					},
					"domain_name": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "The account (domain) that owns the agency. Falls back to `HW_ASSUME_ROLE_DOMAIN_NAME`.",
						Validators:          []validator.String{checkValidator{desc: "must be an IAM account name", check: checkOf(hwc.CheckAgencyName)}},
					},
					"duration": schema.Int64Attribute{
						Optional:            true,
						MarkdownDescription: "The lifetime of the agency's credentials, in seconds, 900 to 43200. Falls back to `HW_ASSUME_ROLE_DURATION`; default 3600.",
						Validators:          []validator.Int64{durationValidator},
					},
				},
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
	cfg.DialContext = p.dialContext
	client, err := hwc.New(cfg)
	if err != nil {
		summary, ok := hwc.Summary(err)
		if !ok {
			summary = "Invalid provider configuration"
		}
		resp.Diagnostics.AddError(summary, err.Error())
		return
	}
	if cfg.Insecure && p.allPlainHTTP(cfg.Endpoints) {
		resp.Diagnostics.AddWarning("insecure has no effect", "`insecure` (HW_INSECURE) skips TLS verification, but every endpoint is plain http://.")
	}
	// The client's region is the profile's when the provider's is unset.
	data := &providerData{client: client, region: client.Region()}
	resp.DataSourceData = data
	resp.ResourceData = data
}

// clientConfig merges the HCL configuration with the environment into the
// client's configuration. hwc.New owns every rule and default (checked at
// plan time too, by the validators); what is checked here is only what
// the environment can get wrong before hwc sees it, each problem one
// diagnostic naming the attribute and the variable.
func (p *hwcjobsProvider) clientConfig(ctx context.Context, m providerModel) (hwc.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	unknown := func(v attr.Value, attr, env string) bool {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(attr), "Unknown "+attr,
				fmt.Sprintf("The provider's %s is not known until apply; set it to a known value or use %s.", attr, env))
			return true
		}
		return false
	}
	// str is the attribute, else the first variable that is set.
	str := func(v types.String, attr string, envs ...string) string {
		if unknown(v, attr, envs[0]) {
			return ""
		}
		if !v.IsNull() {
			return v.ValueString()
		}
		for _, env := range envs {
			if e := p.getenv(env); e != "" {
				return e
			}
		}
		return ""
	}
	boolean := func(v types.Bool, attr, env string) bool {
		if unknown(v, attr, env) {
			return false
		}
		if !v.IsNull() {
			return v.ValueBool()
		}
		e := p.getenv(env)
		if e == "" {
			return false
		}
		b, err := strconv.ParseBool(e)
		if err != nil {
			diags.AddAttributeError(path.Root(attr), "Invalid "+env, fmt.Sprintf("%s must be true or false, got %q.", env, e))
		}
		return b
	}
	integer := func(v types.Int64, attr, env string) (int64, bool) {
		if unknown(v, attr, env) {
			return 0, false
		}
		if !v.IsNull() {
			return v.ValueInt64(), true
		}
		e := p.getenv(env)
		if e == "" {
			return 0, false
		}
		n, err := strconv.ParseInt(e, 10, 64)
		if err != nil {
			diags.AddAttributeError(path.Root(attr), "Invalid "+env, fmt.Sprintf("%s must be a whole number, got %q.", env, e))
			return 0, false
		}
		return n, true
	}

	cfg := hwc.Config{
		Region:           str(m.Region, "region", "HW_REGION_NAME"),
		ProjectID:        str(m.ProjectID, "project_id", "HW_PROJECT_ID"),
		ProjectName:      str(m.ProjectName, "project_name", "HW_PROJECT_NAME"),
		AccessKey:        str(m.AccessKey, "access_key", "HW_ACCESS_KEY"),
		SecretKey:        str(m.SecretKey, "secret_key", "HW_SECRET_KEY"),
		SecurityToken:    str(m.SecurityToken, "security_token", "HW_SECURITY_TOKEN"),
		AuthToken:        str(m.AuthToken, "auth_token", "HW_AUTH_TOKEN"),
		SharedConfigFile: str(m.SharedConfigFile, "shared_config_file", "HW_SHARED_CONFIG_FILE"),
		Profile:          str(m.Profile, "profile", "HW_PROFILE"),
		UseECSMetadata:   boolean(m.UseECSMetadata, "use_ecs_metadata", "HW_USE_ECS_METADATA"),
		MetadataEndpoint: p.getenv("HW_ECS_METADATA_ENDPOINT"),
		Cloud:            str(m.Cloud, "cloud", "HW_CLOUD"),
		AuthURL:          str(m.AuthURL, "auth_url", "HW_AUTH_URL"),
		CACertFile:       str(m.CACertFile, "cacert_file", "HW_CACERT_FILE", "OS_CACERT"),
		CertFile:         str(m.Cert, "cert", "OS_CERT"),
		KeyFile:          str(m.Key, "key", "OS_KEY"),
		Insecure:         boolean(m.Insecure, "insecure", "HW_INSECURE"),
		MaxRetries:       hwc.DefaultMaxRetries,
		RequestTimeout:   hwc.DefaultRequestTimeout,
		Endpoints:        map[string]string{},
	}
	for _, s := range p.services {
		cfg.Services = append(cfg.Services, s.Name)
	}

	var ar assumeRoleModel
	if m.AssumeRole != nil {
		ar = *m.AssumeRole
	} else {
		ar = assumeRoleModel{AgencyName: types.StringNull(), DomainName: types.StringNull(), Duration: types.Int64Null()}
	}
	agency := str(ar.AgencyName, "assume_role.agency_name", "HW_ASSUME_ROLE_AGENCY_NAME")
	domain := str(ar.DomainName, "assume_role.domain_name", "HW_ASSUME_ROLE_DOMAIN_NAME")
	seconds, _ := integer(ar.Duration, "assume_role.duration", "HW_ASSUME_ROLE_DURATION")
	if m.AssumeRole != nil || agency != "" || domain != "" {
		d, err := hwc.AssumeRoleDurationSeconds(seconds)
		if err != nil {
			diags.AddAttributeError(path.Root("assume_role").AtName("duration"), "Invalid assume_role duration",
				fmt.Sprintf("assume_role.duration (or HW_ASSUME_ROLE_DURATION): %v", err))
		}
		cfg.AssumeRole = &hwc.AssumeRole{AgencyName: agency, DomainName: domain, Duration: d}
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
		if err := hwc.CheckEndpoint(u); err != nil {
			diags.AddAttributeError(path.Root("endpoints").AtMapKey(key), "Invalid endpoint",
				fmt.Sprintf("endpoints.%s (or %s): %v", key, e.env, err))
			continue
		}
		cfg.Endpoints[e.keys[0]] = u
	}

	if n, ok := integer(m.MaxRetries, "max_retries", "HW_MAX_RETRIES"); ok {
		if err := hwc.CheckMaxRetries(n); err != nil {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid max_retries", fmt.Sprintf("max_retries (or HW_MAX_RETRIES): %v", err))
		}
		cfg.MaxRetries = int(n)
	}
	if !m.RequestTimeout.IsNull() && !m.RequestTimeout.IsUnknown() {
		d, ds := m.RequestTimeout.ValueGoDuration()
		diags.Append(ds...)
		cfg.RequestTimeout = d
	}
	cfg.RequestsPerSecond = m.RequestsPerSecond.ValueFloat64()

	if cfg.Region == "" && !m.Region.IsUnknown() && cfg.SharedConfigFile == "" && cfg.Profile == "" {
		diags.AddAttributeError(path.Root("region"), "Missing region",
			"Set the provider's region (for example region = \"cn-north-4\") or the HW_REGION_NAME environment variable.")
	}
	tflog.Debug(ctx, "provider configured", map[string]any{"region": cfg.Region, "endpoints": len(cfg.Endpoints), "max_retries": cfg.MaxRetries})
	return cfg, diags
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

func (p *hwcjobsProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, s := range p.services {
		out = append(out, newJobDataSource(s))
	}
	return out
}
