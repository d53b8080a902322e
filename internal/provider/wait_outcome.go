package provider

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// waitForm is the wording in which the wait resource and the wait action,
// which share the poller and the errors, differ: where the timeout is set,
// and what allow_failure does.
type waitForm struct {
	// timeoutName is the setting that bounds the wait; timeoutExample
	// raises it.
	timeoutName, timeoutExample string
	// allowFailureOff ends the error of a failed job; allowFailureOn the
	// warning it becomes with allow_failure.
	allowFailureOff, allowFailureOn string
}

var (
	resourceWait = waitForm{
		timeoutName:     "timeouts.create",
		timeoutExample:  `timeouts { create = "1h" }`,
		allowFailureOff: "Set allow_failure = true to record a failed job without failing the apply.",
		allowFailureOn:  "Recorded because allow_failure is true.",
	}
	actionWait = waitForm{
		timeoutName:     "timeout",
		timeoutExample:  `timeout = "1h"`,
		allowFailureOff: "Set allow_failure = true for a failed job to end the action with a warning instead of an error.",
		allowFailureOn:  "Not an error because allow_failure is true.",
	}
)

// failure describes a failed job: a summary naming the service, job and
// type, and a detail listing the error code and reason of the job and of
// every failed sub-job.
func (t jobType) failure(job *jobs.Job, tgt target) (summary, detail string) {
	summary = fmt.Sprintf("%s job %s (%s) failed", t.svc.Title, tgt.jobID, orDash(job.Type()))
	var b strings.Builder
	fmt.Fprintf(&b, "The %s job %s in project %s, region %s ended with status %s.\n", t.svc.Title, tgt.jobID, tgt.projectID, tgt.region, job.Status())
	for _, f := range job.Failures() {
		what := "Job"
		if f.Path != "" {
			what = "Sub-job " + f.Path
		}
		fmt.Fprintf(&b, "\n%s %s (%s), status %s:", what, orDash(f.JobID), orDash(f.JobType), f.Status)
		if f.CodeField != "" {
			fmt.Fprintf(&b, " %s %s,", f.CodeField, orDash(f.ErrorCode))
		}
		fmt.Fprintf(&b, " %s %s", f.ReasonField, quoteOrDash(f.Reason))
	}
	return summary, b.String()
}

// failureDiag is the diagnostic of a failed job: an error, or with
// allow_failure a warning, that names the failure.
func (t jobType) failureDiag(job *jobs.Job, tgt target, form waitForm, allowFailure bool) diag.Diagnostic {
	summary, detail := t.failure(job, tgt)
	if allowFailure {
		return diag.NewWarningDiagnostic(summary, detail+"\n\n"+form.allowFailureOn)
	}
	return diag.NewErrorDiagnostic(summary, detail+"\n\n"+form.allowFailureOff)
}

// waitError explains why a wait bounded by timeout ended without a
// finished job.
func (t jobType) waitError(tgt target, form waitForm, timeout time.Duration, err error) diag.Diagnostic {
	var te *jobs.TimeoutError
	if !errors.As(err, &te) {
		var gone *jobs.GoneError
		if errors.As(err, &gone) {
			return diag.NewErrorDiagnostic(fmt.Sprintf("%s job %s not found", t.svc.Title, tgt.jobID),
				fmt.Sprintf("No %s job %q in project %s, region %s: the wait read it for %s (a new job is not always visible at once) and it never appeared.\n\n"+
					"The job ID may be mistyped: check job_id. Check too that region and project_id are the job's. "+
					"A job that finished more than about a day ago has been deleted by the service.\n\n%v",
					t.svc.Title, tgt.jobID, tgt.projectID, tgt.region, gone.Waited.Round(time.Second), gone.Err))
		}
		return readError(t.svc, tgt, err)
	}
	if te.Cancelled {
		return diag.NewErrorDiagnostic(fmt.Sprintf("Stopped waiting for %s job %s", t.svc.Title, tgt.jobID), te.Error())
	}
	detail := fmt.Sprintf("%s (%s is %s).", te.Error(), form.timeoutName, timeout)
	if hint := t.svc.StatusHints[te.LastStatus]; hint != "" {
		detail += "\n\n" + hint
	} else if te.LastStatus != "" && te.LastPhase == service.Unknown {
		detail += fmt.Sprintf("\n\nStatus %q is not one the %s documentation lists, so it cannot be told whether the job has finished; the wait kept reading it.", te.LastStatus, t.svc.Title)
	}
	detail += "\n\nIf the job is still making progress, raise the timeout: " + form.timeoutExample + "."
	return diag.NewErrorDiagnostic(fmt.Sprintf("Timed out waiting for %s job %s", t.svc.Title, tgt.jobID), detail)
}
