package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

var (
	_ resource.Resource                = (*waitResource)(nil)
	_ resource.ResourceWithConfigure   = (*waitResource)(nil)
	_ resource.ResourceWithImportState = (*waitResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*waitResource)(nil)
)

const (
	defaultCreateTimeout = 30 * time.Minute
	// notFoundGrace is how long a job may be missing right after the wait
	// began: the service does not always show a new job at once. It is
	// also what a mistyped job_id costs before the apply fails.
	notFoundGrace = time.Minute
)

// graceText is notFoundGrace in words, for descriptions and errors.
var graceText = durationText(notFoundGrace)

// durationText writes d as "1 minute", "90 seconds", "2 minutes".
func durationText(d time.Duration) string {
	unit, n := "second", int64(d/time.Second)
	if d >= time.Minute && d%time.Minute == 0 {
		unit, n = "minute", int64(d/time.Minute)
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// waitResource waits, on create, until a job of one service has finished,
// and then keeps what it saw. A finished job never changes, so reads of it
// make no API call.
type waitResource struct {
	jobType
	p *providerData
	// grace replaces notFoundGrace when set (tests).
	grace time.Duration
}

func newWaitResource(svc *service.Service) func() resource.Resource {
	return func() resource.Resource { return &waitResource{jobType: newJobType(svc)} }
}

func (r *waitResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.svc.Name + "_job_wait"
}

// resourceAttributes builds computed resource attributes that keep their
// state across in-place updates (only allow_failure and timeouts change in
// place).
var resourceAttributes = attributeBuilder[schema.Attribute]{
	str: func(desc string, custom basetypes.StringTypable) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc, CustomType: custom,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	},
	int64: func(desc string) schema.Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc,
			PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}}
	},
	strMap: func(desc string) schema.Attribute {
		return schema.MapAttribute{Computed: true, MarkdownDescription: desc, ElementType: types.StringType,
			PlanModifiers: []planmodifier.Map{mapplanmodifier.UseStateForUnknown()}}
	},
	object: func(desc string, attrs map[string]schema.Attribute) schema.Attribute {
		return schema.SingleNestedAttribute{Computed: true, MarkdownDescription: desc, Attributes: attrs,
			PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()}}
	},
	list: func(desc string, attrs map[string]schema.Attribute) schema.Attribute {
		return schema.ListNestedAttribute{Computed: true, MarkdownDescription: desc, NestedObject: schema.NestedAttributeObject{Attributes: attrs},
			PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()}}
	},
}

func (r *waitResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replaceKeep := []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()}
	attrs := resourceAttributes.build(r.fields)
	attrs["id"] = schema.StringAttribute{Computed: true, Description: "The job ID.",
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	attrs["job_id"] = schema.StringAttribute{Required: true, Description: descArgJobID + " Changing it waits for the new job. " +
		"A job that is not found is read again for " + graceText + " after the wait starts (a new job is not always visible at once), so a mistyped ID fails the apply after about " + graceText + ".",
		Validators: []validator.String{pathParamValidator}, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}}
	attrs["region"] = schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: descArgRegion,
		Validators: []validator.String{regionValidator}, PlanModifiers: replaceKeep}
	attrs["project_id"] = schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: descArgProjectID,
		Validators: []validator.String{pathParamValidator}, PlanModifiers: replaceKeep}
	attrs["request_id"] = schema.StringAttribute{Computed: true, MarkdownDescription: descRequestID,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	attrs["triggers"] = schema.MapAttribute{Optional: true, ElementType: types.StringType,
		Description:   "Arbitrary map of values that, when changed, replace the resource and so wait again, as in `time_sleep`.",
		PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()}}
	attrs["allow_failure"] = schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
		Description: "When true, a failed job does not fail the apply: it is recorded (with a warning) like a successful one. Default false."}
	resp.Schema = schema.Schema{
		Description: fmt.Sprintf("Waits until an asynchronous %[1]s job has finished, and records its outcome. "+
			"Put `depends_on` on the resources that need the job done. A failed job fails the apply, with the error codes and reasons of the job and its failed sub-jobs, unless `allow_failure` is set. "+
			"Destroying it only removes it from state.\n\n"+
			"A job that is not found is read again for %[2]s after the wait starts, because the service does not always show a new job at once. "+
			"A mistyped `job_id` therefore costs about %[2]s of \"Still creating...\" before the apply fails with \"%[1]s job ... not found\", "+
			"which names the job ID, project and region it looked in. The wait is bounded by `timeouts.create` (default %[3]s).", r.svc.Title, graceText, durationText(defaultCreateTimeout)),
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": createTimeoutsBlock(ctx)},
	}
}

// createTimeoutsBlock is the timeouts block with create only, its default
// in its description.
func createTimeoutsBlock(ctx context.Context) schema.Block {
	b, _ := timeouts.Block(ctx, timeouts.Opts{
		Create: true,
		CreateDescription: fmt.Sprintf("How long to wait for the job to finish, retries included, as a [duration](https://pkg.go.dev/time#ParseDuration) "+
			"such as \"30s\", \"20m\" or \"2h\". Default %q (%s). When it runs out, the apply fails with the last status seen.", defaultCreateTimeout.String(), durationText(defaultCreateTimeout)),
	}).(schema.SingleNestedBlock)
	b.MarkdownDescription = fmt.Sprintf("Bounds the wait: `create` (default %s).", durationText(defaultCreateTimeout))
	return b
}

func (r *waitResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.p = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *waitResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var to timeouts.Value
	var allowFailure types.Bool
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("timeouts"), &to)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("allow_failure"), &allowFailure)...)
	createTimeout, diags := to.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, createTimeout)
	defer cancel()

	tgt, diags := resolveTarget(ctx, r.p, req.Plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	w := jobs.Waiter{
		Find: func(ctx context.Context) (*jobs.Job, error) {
			return jobs.Find(ctx, r.p.client, r.svc, tgt.region, tgt.projectID, tgt.jobID)
		},
		NotFoundGrace: notFoundGrace,
	}
	if r.grace > 0 {
		w.NotFoundGrace = r.grace
	}
	res, err := w.Wait(ctx)
	if err != nil {
		resp.Diagnostics.Append(r.waitError(tgt, resourceWait, createTimeout, err))
		return
	}
	job := res.Job
	if job.Phase() == service.Failed {
		resp.Diagnostics.Append(r.failureDiag(job, tgt, resourceWait, allowFailure.ValueBool()))
		if !allowFailure.ValueBool() {
			return
		}
	}
	// Start from the plan (triggers, allow_failure, timeouts) and fill in
	// every computed attribute.
	resp.State.Raw = req.Plan.Raw
	values := r.values(job, tgt)
	values["id"] = types.StringValue(tgt.jobID)
	resp.Diagnostics.Append(setState(ctx, &resp.State, values)...)
}

// ModifyPlan fills in region and project_id when a new wait is planned
// and the configuration leaves them out: the provider's region, and its
// project when that is configured for that region (else it is looked up
// through IAM at apply, and stays unknown). The plan then shows them rather
// than "(known after apply)". A value set in the configuration, even one
// not known yet, is never replaced.
func (r *waitResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.p == nil {
		return
	}
	var cfgRegion, cfgProject, planRegion, planProject types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("region"), &cfgRegion)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("project_id"), &cfgProject)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("region"), &planRegion)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("project_id"), &planProject)...)
	if resp.Diagnostics.HasError() {
		return
	}
	region := cfgRegion.ValueString()
	switch {
	case cfgRegion.IsUnknown():
		return // the project depends on a region not known yet
	case cfgRegion.IsNull():
		region = r.p.region
		if planRegion.IsUnknown() && region != "" {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("region"), region)...)
		}
	}
	if cfgProject.IsNull() && planProject.IsUnknown() {
		if id, ok := r.p.client.ConfiguredProjectID(region); ok {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("project_id"), id)...)
		}
	}
}

func (r *waitResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var phase types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("phase"), &phase)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A finished job never changes, and the service deletes it after about
	// a day: keep what was recorded, with no API call.
	if service.Phase(phase.ValueString()).Finished() {
		return
	}
	// Unfinished (an imported running job): read it once more.
	tgt, diags := resolveTarget(ctx, r.p, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	job, err := jobs.Find(ctx, r.p.client, r.svc, tgt.region, tgt.projectID, tgt.jobID)
	if err != nil {
		if hwc.IsNotFound(err) && !phase.IsNull() {
			resp.Diagnostics.AddWarning(fmt.Sprintf("%s job %s no longer found", r.svc.Title, tgt.jobID),
				"The job was not finished when last read and cannot be read now; its recorded state is kept.")
			return
		}
		resp.Diagnostics.Append(readError(r.svc, tgt, err))
		return
	}
	if job.Phase() == service.Unknown {
		resp.Diagnostics.Append(unknownStatusWarning(r.svc, job))
	}
	values := r.values(job, tgt)
	values["id"] = types.StringValue(tgt.jobID)
	resp.Diagnostics.Append(setState(ctx, &resp.State, values)...)
}

// Update changes only allow_failure or timeouts; every other argument
// replaces the resource, and the job's attributes stay as recorded.
func (r *waitResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
}

// Delete only forgets the job: there is nothing to undo in the cloud.
func (r *waitResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// ImportState takes job_id or project_id/job_id and reads the job once.
func (r *waitResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	jobID, projectID := req.ID, ""
	if i := strings.LastIndex(req.ID, "/"); i >= 0 {
		projectID, jobID = req.ID[:i], req.ID[i+1:]
	}
	for name, v := range map[string]string{"project_id": projectID, "job_id": jobID} {
		if name == "project_id" && projectID == "" && !strings.Contains(req.ID, "/") {
			continue
		}
		if err := hwc.ValidatePathParam(name, v); err != nil {
			resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Want job_id or project_id/job_id, got %q: %v", req.ID, err))
			return
		}
	}
	values := map[string]attr.Value{
		"id":            types.StringValue(jobID),
		"job_id":        types.StringValue(jobID),
		"allow_failure": types.BoolValue(false),
	}
	if projectID != "" {
		values["project_id"] = types.StringValue(projectID)
	}
	resp.Diagnostics.Append(setState(ctx, &resp.State, values)...)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func quoteOrDash(s string) string {
	if s == "" {
		return "-"
	}
	return fmt.Sprintf("%q", s)
}
