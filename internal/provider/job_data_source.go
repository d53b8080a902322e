package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

var (
	_ datasource.DataSource              = (*jobDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*jobDataSource)(nil)
)

const defaultReadTimeout = 5 * time.Minute

// jobDataSource reads one job of one service, once: a running job reads as
// running.
type jobDataSource struct {
	jobType
	p *providerData
}

func newJobDataSource(svc *service.Service) func() datasource.DataSource {
	return func() datasource.DataSource { return &jobDataSource{jobType: newJobType(svc)} }
}

func (d *jobDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.svc.Name + "_job"
}

// dataSourceAttributes builds computed data source attributes.
var dataSourceAttributes = attributeBuilder[schema.Attribute]{
	str: func(desc string, custom basetypes.StringTypable) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc, CustomType: custom}
	},
	int64: func(desc string) schema.Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	},
	strMap: func(desc string) schema.Attribute {
		return schema.MapAttribute{Computed: true, MarkdownDescription: desc, ElementType: types.StringType}
	},
	object: func(desc string, attrs map[string]schema.Attribute) schema.Attribute {
		return schema.SingleNestedAttribute{Computed: true, MarkdownDescription: desc, Attributes: attrs}
	},
	list: func(desc string, attrs map[string]schema.Attribute) schema.Attribute {
		return schema.ListNestedAttribute{Computed: true, MarkdownDescription: desc, NestedObject: schema.NestedAttributeObject{Attributes: attrs}}
	},
}

func (d *jobDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataSourceAttributes.build(d.fields)
	attrs["job_id"] = schema.StringAttribute{Required: true, Description: descArgJobID, Validators: []validator.String{pathParamValidator}}
	attrs["region"] = schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: descArgRegion, Validators: []validator.String{regionValidator}}
	attrs["project_id"] = schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: descArgProjectID, Validators: []validator.String{pathParamValidator}}
	attrs["request_id"] = schema.StringAttribute{Computed: true, MarkdownDescription: descRequestID}
	attrs["allow_missing"] = schema.BoolAttribute{Optional: true, MarkdownDescription: "When true, a job the service does not have " +
		"(HTTP 404: deleted about a day after it finished, or never there, as with a mistyped ID) reads as `exists = false`, " +
		"with every job attribute null, instead of failing the plan. Default false."}
	attrs["exists"] = schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the service has the job: true whenever the read succeeds; " +
		"false only with `allow_missing = true` and a job the service does not have."}
	resp.Schema = schema.Schema{
		Description: fmt.Sprintf("Reads one %[1]s asynchronous job and its sub-jobs, once: a running job reads as running. Use `hwcjobs_%[2]s_job_wait` to wait for a job to finish.\n\n"+
			"The service deletes a finished job after about a day. From then on, reading it fails every plan with \"%[1]s job ... not found\", "+
			"unless `allow_missing = true`: then it reads as `exists = false`, with every job attribute null, and the plan goes on. "+
			"Use it where the job ID outlives the job (a data source kept in a configuration, or in a `check` block); "+
			"a mistyped job ID then reads as missing too. A wait resource needs none of this: once the job has finished, it never reads it again.", d.svc.Title, d.svc.Name),
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

// readTimeoutsBlock is the timeouts block with read, its default in its
// description.
func readTimeoutsBlock(ctx context.Context) schema.Block {
	b, _ := timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: fmt.Sprintf("How long the read may take, retries included, as a [duration](https://pkg.go.dev/time#ParseDuration) "+
			"such as \"30s\" or \"2m\". Default %q (%s).", defaultReadTimeout.String(), durationText(defaultReadTimeout)),
	}).(schema.SingleNestedBlock)
	b.MarkdownDescription = fmt.Sprintf("Bounds the read: `read` (default %s).", durationText(defaultReadTimeout))
	return b
}

func (d *jobDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.p = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *jobDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var to timeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &to)...)
	readTimeout, diags := to.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()

	tgt, diags := resolveTarget(ctx, d.p, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var allowMissing types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("allow_missing"), &allowMissing)...)
	if resp.Diagnostics.HasError() {
		return
	}
	job, err := jobs.Find(ctx, d.p.client, d.svc, tgt.region, tgt.projectID, tgt.jobID)
	exists := true
	switch {
	case err == nil:
	case jobMissing(err) && allowMissing.ValueBool():
		// Every job attribute null: a job with no data.
		job, exists = &jobs.Job{}, false
	case jobMissing(err):
		e := readError(d.svc, tgt, err)
		resp.Diagnostics.Append(diag.NewErrorDiagnostic(e.Summary(), e.Detail()+
			"\n\nTo read a job that may be gone as exists = false instead of failing, set allow_missing = true on the data source."))
		return
	default:
		resp.Diagnostics.Append(readError(d.svc, tgt, err))
		return
	}
	if exists && job.Phase() == service.Unknown {
		resp.Diagnostics.Append(unknownStatusWarning(d.svc, job))
	}
	values := d.values(job, tgt)
	values["exists"] = types.BoolValue(exists)
	values["allow_missing"] = allowMissing
	resp.Diagnostics.Append(setState(ctx, &resp.State, values)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("timeouts"), to)...)
}

// jobMissing tells a job the service does not have (its 404) from an
// endpoint that serves no such API (the API gateway's 404, APIGW.0101, as
// with a wrong endpoint prefix): only the former is a missing job.
func jobMissing(err error) bool {
	var apiErr *hwc.APIError
	return hwc.IsNotFound(err) && !(errors.As(err, &apiErr) && apiErr.Code == "APIGW.0101")
}
