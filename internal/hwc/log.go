package hwc

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// logSubsystem names the tflog subsystem of this package, so TF_LOG_PROVIDER_HWCJOBS_HWC
// can turn HTTP logging up or down without touching the rest of the provider.
const logSubsystem = "hwc"

// maskedHeaders are the field keys whose values are never logged: logRequest
// uses header names as field keys, so these cover the credentials on the wire.
var maskedHeaders = []string{"Authorization", HeaderAuthToken, HeaderSecurityToken}

// logContext opens the subsystem for one request and masks every secret
// the client holds, in field values and messages alike, so that even
// TF_LOG=TRACE never prints one (error texts included, should a server echo
// a header back).
func (c *Client) logContext(ctx context.Context) context.Context {
	ctx = tflog.NewSubsystem(ctx, logSubsystem)
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, logSubsystem, maskedHeaders...)
	var secrets []string
	for _, s := range []string{c.cfg.SecretKey, c.cfg.SecurityToken, c.cfg.AuthToken} {
		// An empty string would "match" between every character.
		if s != "" {
			secrets = append(secrets, s)
		}
	}
	if len(secrets) > 0 {
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, logSubsystem, secrets...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, logSubsystem, secrets...)
	}
	return ctx
}

// logRequest traces the headers about to be sent, one field per header
// named as on the wire, values joined into one string: the masks above only
// apply to string values.
func logRequest(ctx context.Context, req *http.Request, path string, attempt int) {
	if !tflog.SubsystemIsTrace(ctx, logSubsystem) {
		return // skip building the field map in the common case
	}
	fields := map[string]interface{}{
		"method":  req.Method,
		"host":    req.URL.Host,
		"path":    path,
		"query":   req.URL.RawQuery,
		"attempt": attempt,
	}
	for name, values := range req.Header {
		fields[name] = strings.Join(values, ", ")
	}
	tflog.SubsystemTrace(ctx, logSubsystem, "sending Huawei Cloud API request", fields)
}

// logResponse records every attempt at DEBUG, failures included, so a slow
// or flapping endpoint shows up in TF_LOG=DEBUG without headers.
func logResponse(ctx context.Context, method, path string, attempt, status int, elapsed time.Duration, requestID string, err error) {
	fields := map[string]interface{}{
		"method":      method,
		"path":        path,
		"status":      status,
		"attempt":     attempt,
		"duration_ms": elapsed.Milliseconds(),
		"request_id":  requestID,
	}
	if err != nil {
		fields["error"] = err.Error()
	}
	tflog.SubsystemDebug(ctx, logSubsystem, "Huawei Cloud API attempt finished", fields)
}

// logRetry warns about each retry with its reason, because a plan that
// slows down under throttling should say why.
func logRetry(ctx context.Context, method, path string, attempt int, delay time.Duration, out outcome) {
	fields := map[string]interface{}{
		"method":       method,
		"path":         path,
		"attempt":      attempt,
		"next_attempt": attempt + 1,
		"delay_ms":     delay.Milliseconds(),
		"reason":       out.err.Error(),
	}
	if out.hasRetryAfter {
		fields["retry_after_ms"] = out.retryAfter.Milliseconds()
	}
	tflog.SubsystemWarn(ctx, logSubsystem, "retrying Huawei Cloud API request", fields)
}
