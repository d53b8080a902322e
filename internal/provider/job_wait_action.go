package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

var (
	_ action.Action              = (*waitAction)(nil)
	_ action.ActionWithConfigure = (*waitAction)(nil)
)

// waitAction waits, when invoked, until a job of one service has finished,
// telling Terraform how the job goes while it waits. It is the wait
// resource's twin (same type name, arguments, poller and errors) for
// Terraform 1.14 and later, and keeps nothing in state.
type waitAction struct {
	jobType
	p *providerData
}

func newWaitAction(svc *service.Service) func() action.Action {
	return func() action.Action { return &waitAction{jobType: newJobType(svc)} }
}

// waitActionModel is the action's configuration: the job's arguments, as
// every data source and resource has them, and how to wait.
type waitActionModel struct {
	jobArgs
	AllowFailure types.Bool           `tfsdk:"allow_failure"`
	Timeout      timetypes.GoDuration `tfsdk:"timeout"`
}

func (a *waitAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + a.svc.Name + "_job_wait"
}

func (a *waitAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Waits until an asynchronous %s job has finished, and reports its progress while it waits: "+
			"a line at every change of status and at least every %d seconds, such as `%s`. "+
			"Run it from a resource's `lifecycle` `action_trigger` or with `terraform apply -invoke`; it needs Terraform 1.14 or later and keeps nothing in state. "+
			"A failed job fails the action, with the error codes and reasons of the job and its failed sub-jobs, unless `allow_failure` is set. "+
			"The `hwcjobs_%s_job_wait` resource waits the same way and records the job.",
			a.svc.Title, int(progressEvery.Seconds()), a.exampleLine(), a.svc.Name),
		Attributes: map[string]schema.Attribute{
			"job_id": schema.StringAttribute{Required: true, Description: descArgJobID,
				Validators: []validator.String{pathParamValidator}},
			"region": schema.StringAttribute{Optional: true, MarkdownDescription: descArgRegion,
				Validators: []validator.String{regionValidator}},
			"project_id": schema.StringAttribute{Optional: true, MarkdownDescription: descArgProjectID,
				Validators: []validator.String{pathParamValidator}},
			"allow_failure": schema.BoolAttribute{Optional: true,
				Description: "When true, a failed job does not fail the action: it ends with a warning that names the failure. Default false."},
			"timeout": schema.StringAttribute{Optional: true, CustomType: timetypes.GoDurationType{},
				MarkdownDescription: fmt.Sprintf("How long to wait before failing, a duration such as `45m` or `2h`; default `%dm`.", int(defaultCreateTimeout.Minutes())),
				Validators:          []validator.String{positiveDuration}},
		},
	}
}

// exampleLine is a progress line as the docs show it.
func (a *waitAction) exampleLine() string {
	id := "4010b39b-7f24-4c2c-9ef1-6a0d0b1e2c3d"
	if a.svc.HexIDs {
		id = "4010b39b7f244c2c9ef16a0d0b1e2c3d"
	}
	seen := a.svc.StatusIn(service.Running)
	if service.RolePath(a.svc.Fields, service.SubJobs) != nil {
		seen += ", 1 of 2 sub-jobs finished"
	}
	return progressLine(a.svc, id, seen, 2*time.Minute+10*time.Second)
}

func (a *waitAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.p = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (a *waitAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m waitActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if a.p == nil {
		resp.Diagnostics.AddError("Provider not configured", "The hwcjobs provider was not configured before the action ran; please report this issue.")
		return
	}
	timeout := defaultCreateTimeout
	if !m.Timeout.IsNull() && !m.Timeout.IsUnknown() {
		d, diags := m.Timeout.ValueGoDuration()
		resp.Diagnostics.Append(diags...)
		timeout = d
	}
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	tgt, diags := resolveTarget(ctx, a.p, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	prog := newProgress(a.svc, tgt.jobID, jobs.RealClock{}, progressEvery, func(msg string) { sendProgress(ctx, resp, msg) })
	w := jobs.Waiter{
		Find: func(ctx context.Context) (*jobs.Job, error) {
			return jobs.Find(ctx, a.p.client, a.svc, tgt.region, tgt.projectID, tgt.jobID)
		},
		Clock:         prog,
		NotFoundGrace: notFoundGrace,
		OnRead:        prog.onRead,
	}
	res, err := w.Wait(ctx)
	if err != nil {
		// Terraform does not show an interrupted action's diagnostics: the
		// log still tells why it ended.
		tflog.Info(ctx, "the wait ended without a finished job", map[string]any{"job_id": tgt.jobID, "error": err.Error()})
		resp.Diagnostics.Append(a.waitError(tgt, actionWait, timeout, err))
		return
	}
	if res.Job.Phase() == service.Failed {
		resp.Diagnostics.Append(a.failureDiag(res.Job, tgt, actionWait, m.AllowFailure.ValueBool()))
	}
}

// sendProgress hands Terraform one progress line, in order, unless ctx
// ends first: the framework's SendProgress blocks until the line is
// streamed, and nothing reads it any more once the stream has broken.
func sendProgress(ctx context.Context, resp *action.InvokeResponse, msg string) {
	if resp.SendProgress == nil || ctx.Err() != nil {
		return
	}
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		resp.SendProgress(action.InvokeProgressEvent{Message: msg})
	}()
	select {
	case <-sent:
	case <-ctx.Done():
	}
}
