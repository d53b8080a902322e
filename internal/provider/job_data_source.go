package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

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
	resp.Schema = schema.Schema{
		Description: fmt.Sprintf("Reads one %s asynchronous job and its sub-jobs, once: a running job reads as running. Use `hwcjobs_%s_job_wait` to wait for a job to finish. Finished jobs are deleted by the service after about a day.", d.svc.Title, d.svc.Name),
		Attributes:  attrs,
		Blocks:      map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
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
	job, err := jobs.Find(ctx, d.p.client, d.svc, tgt.region, tgt.projectID, tgt.jobID)
	if err != nil {
		resp.Diagnostics.Append(readError(d.svc, tgt, err))
		return
	}
	if job.Phase() == service.Unknown {
		resp.Diagnostics.Append(unknownStatusWarning(d.svc, job))
	}
	resp.Diagnostics.Append(setState(ctx, &resp.State, d.values(job, tgt))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("timeouts"), to)...)
}
