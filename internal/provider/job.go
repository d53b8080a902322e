package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// jobType is what the data source and the wait resource share for one
// service: the Terraform types of its job fields, and how a read job becomes
// attribute values.
type jobType struct {
	svc *service.Service
	// fields are the service's top-level fields that are plain computed
	// attributes: a top-level job_id is the argument itself.
	fields []service.Field
}

func newJobType(svc *service.Service) jobType {
	t := jobType{svc: svc}
	for _, f := range svc.Fields {
		if f.Name() != "job_id" {
			t.fields = append(t.fields, f)
		}
	}
	return t
}

// Descriptions of the arguments the data source and the wait resource share.
const (
	descArgJobID     = "The ID of the asynchronous job, as the API call that started it returned it."
	descArgRegion    = "The region of the job; defaults to the provider's region."
	descArgProjectID = "The project of the job; defaults to the provider's project (given or looked up through IAM)."
	descRequestID    = "The request ID of the read that filled this state, for support tickets."
)

// attributeBuilder builds the schema attributes of one framework package
// (data source or resource schemas) from a field table, so that both are
// built by the one walk below.
type attributeBuilder[A any] struct {
	str    func(desc string, custom basetypes.StringTypable) A
	int64  func(desc string) A
	strMap func(desc string) A
	object func(desc string, attrs map[string]A) A
	list   func(desc string, attrs map[string]A) A
}

func (b attributeBuilder[A]) build(fields []service.Field) map[string]A {
	out := make(map[string]A, len(fields))
	for _, f := range fields {
		switch f.Kind {
		case service.String:
			out[f.Name()] = b.str(f.Description, nil)
		case service.Time:
			out[f.Name()] = b.str(f.Description, timetypes.RFC3339Type{})
		case service.Int:
			out[f.Name()] = b.int64(f.Description)
		case service.Map:
			out[f.Name()] = b.strMap(f.Description)
		case service.Object:
			out[f.Name()] = b.object(f.Description, b.build(f.Fields))
		case service.List:
			out[f.Name()] = b.list(f.Description, b.build(f.Fields))
		}
	}
	return out
}

// configuredData returns what the provider's Configure handed over: nil
// before the provider is configured (Terraform validates configurations
// first), an error for anything that is not *providerData.
func configuredData(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	p, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("want *providerData, got %T; please report this issue", data))
	}
	return p
}

// target is the job a data source or resource reads.
type target struct {
	jobID, region, projectID string
}

// attrGetter is what tfsdk.Config, tfsdk.Plan and tfsdk.State have in
// common.
type attrGetter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

// jobArgs are the arguments that name the job, the same in every data
// source, wait resource and action.
type jobArgs struct {
	JobID     types.String `tfsdk:"job_id"`
	Region    types.String `tfsdk:"region"`
	ProjectID types.String `tfsdk:"project_id"`
}

// readJobArgs reads the job's arguments from a configuration, plan or
// state whose schema has more attributes than these.
func readJobArgs(ctx context.Context, src attrGetter) (jobArgs, diag.Diagnostics) {
	var a jobArgs
	var diags diag.Diagnostics
	diags.Append(src.GetAttribute(ctx, path.Root("job_id"), &a.JobID)...)
	diags.Append(src.GetAttribute(ctx, path.Root("region"), &a.Region)...)
	diags.Append(src.GetAttribute(ctx, path.Root("project_id"), &a.ProjectID)...)
	return a, diags
}

// resolveTarget reads job_id, region and project_id from cfg and fills in
// the provider's region and project (looked up once through IAM if unset).
func resolveTarget(ctx context.Context, p *providerData, cfg attrGetter) (target, diag.Diagnostics) {
	args, diags := readJobArgs(ctx, cfg)
	if diags.HasError() {
		return target{}, diags
	}
	t := target{jobID: args.JobID.ValueString(), region: args.Region.ValueString(), projectID: args.ProjectID.ValueString()}
	if t.region == "" {
		t.region = p.region
	}
	if t.projectID == "" {
		id, err := p.client.ProjectID(ctx, t.region)
		if err != nil {
			// An authentication, permission or host failure is the cause
			// to show first; only a look-up that found no single project
			// is about the project.
			if summary, ok := hwc.Summary(err); ok {
				diags.AddError(summary, err.Error())
				return t, diags
			}
			diags.AddError("Cannot find the project ID", fmt.Sprintf("Looking up the project of region %s through IAM failed: %v\n\nSet project_id (or HW_PROJECT_ID) on the provider, or project_name (HW_PROJECT_NAME) for a sub-project, or project_id on this data source or resource.", t.region, err))
			return t, diags
		}
		t.projectID = id
	}
	return t, diags
}

// values returns every attribute a read fills in: the job's fields, the
// resolved region and project, and the request id.
func (t jobType) values(job *jobs.Job, tgt target) map[string]attr.Value {
	out := make(map[string]attr.Value, len(t.fields)+4)
	for _, f := range t.fields {
		out[f.Name()] = fieldValue(f, job.Data[f.Name()])
	}
	out["job_id"] = types.StringValue(tgt.jobID)
	out["region"] = types.StringValue(tgt.region)
	out["project_id"] = types.StringValue(tgt.projectID)
	out["request_id"] = types.StringNull()
	if job.RequestID != "" {
		out["request_id"] = types.StringValue(job.RequestID)
	}
	return out
}

// setState writes values into st, attribute by attribute.
func setState(ctx context.Context, st *tfsdk.State, values map[string]attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, v := range values {
		diags.Append(st.SetAttribute(ctx, path.Root(name), v)...)
	}
	return diags
}

func fieldType(f service.Field) attr.Type {
	switch f.Kind {
	case service.Time:
		return timetypes.RFC3339Type{}
	case service.Int:
		return types.Int64Type
	case service.Map:
		return types.MapType{ElemType: types.StringType}
	case service.Object:
		return types.ObjectType{AttrTypes: attrTypes(f.Fields)}
	case service.List:
		return types.ListType{ElemType: types.ObjectType{AttrTypes: attrTypes(f.Fields)}}
	}
	return types.StringType
}

func attrTypes(fields []service.Field) map[string]attr.Type {
	out := make(map[string]attr.Type, len(fields))
	for _, f := range fields {
		out[f.Name()] = fieldType(f)
	}
	return out
}

// fieldValue converts one decoded field (see jobs.Record) to its Terraform
// value; nil becomes null.
func fieldValue(f service.Field, v any) attr.Value {
	switch f.Kind {
	case service.Time:
		if t, ok := v.(time.Time); ok {
			return timetypes.NewRFC3339ValueMust(jobs.FormatTime(t))
		}
		return timetypes.NewRFC3339Null()
	case service.Int:
		if n, ok := v.(int64); ok {
			return types.Int64Value(n)
		}
		return types.Int64Null()
	case service.Map:
		m, ok := v.(map[string]string)
		if !ok {
			return types.MapNull(types.StringType)
		}
		elems := make(map[string]attr.Value, len(m))
		for k, s := range m {
			elems[k] = types.StringValue(s)
		}
		return types.MapValueMust(types.StringType, elems)
	case service.Object:
		ts := attrTypes(f.Fields)
		if r, ok := v.(jobs.Record); ok {
			return basetypes.NewObjectValueMust(ts, recordValues(f.Fields, r))
		}
		return basetypes.NewObjectNull(ts)
	case service.List:
		elem := basetypes.ObjectType{AttrTypes: attrTypes(f.Fields)}
		list, ok := v.([]jobs.Record)
		if !ok {
			return basetypes.NewListNull(elem)
		}
		items := make([]attr.Value, len(list))
		for i, r := range list {
			items[i] = basetypes.NewObjectValueMust(elem.AttrTypes, recordValues(f.Fields, r))
		}
		return basetypes.NewListValueMust(elem, items)
	}
	if s, ok := v.(string); ok {
		return types.StringValue(s)
	}
	return types.StringNull()
}

func recordValues(fields []service.Field, r jobs.Record) map[string]attr.Value {
	out := make(map[string]attr.Value, len(fields))
	for _, f := range fields {
		out[f.Name()] = fieldValue(f, r[f.Name()])
	}
	return out
}

// readError turns an error of jobs.Find into a diagnostic a person can act
// on.
func readError(svc *service.Service, tgt target, err error) diag.Diagnostic {
	if hwc.IsNotFound(err) {
		return diag.NewErrorDiagnostic(
			fmt.Sprintf("%s job %s not found", svc.Title, tgt.jobID),
			fmt.Sprintf("No %s job %q exists in project %s, region %s. Finished jobs are deleted by the service after about a day, so a job ID from an old apply may no longer be readable.\n\n%v",
				svc.Title, tgt.jobID, tgt.projectID, tgt.region, err))
	}
	summary := fmt.Sprintf("Cannot read %s job %s", svc.Title, tgt.jobID)
	// An authentication, permission, host or credential-source failure
	// is the cause to show first, in the headline.
	if cause, ok := hwc.Summary(err); ok {
		summary = fmt.Sprintf("%s reading %s job %s", cause, svc.Title, tgt.jobID)
	}
	detail := err.Error()
	if errors.Is(err, jobs.ErrMalformed) {
		summary = fmt.Sprintf("Unexpected answer reading %s job %s", svc.Title, tgt.jobID)
	}
	if hwc.IsCertificateError(err) {
		detail += "\n\nThe endpoint's TLS certificate is not trusted. For a private cloud or emulator with a self-signed certificate, set insecure = true (or HW_INSECURE=true) on the provider."
	}
	return diag.NewErrorDiagnostic(summary, detail)
}

// unknownStatusWarning tells that a job's status is not one the service
// documents.
func unknownStatusWarning(svc *service.Service, job *jobs.Job) diag.Diagnostic {
	return diag.NewWarningDiagnostic(
		fmt.Sprintf("%s job %s has an undocumented status %q", svc.Title, job.ID(), job.Status()),
		fmt.Sprintf("Its phase is \"unknown\". The documented %s statuses are %s.", svc.Title, strings.ReplaceAll(svc.StatusList(), "`", "")))
}
