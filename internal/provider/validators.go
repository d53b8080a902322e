package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
)

// Every plan-time check calls the client's own rule (package hwc), the one
// hwc.New applies again at Configure: plan and apply cannot disagree.

// checkValidator rejects, at plan time, a known string that check refuses;
// the diagnostic's summary is "Invalid <attribute>" and its detail the
// check's error.
type checkValidator struct {
	desc  string
	check func(name, value string) error
}

func (v checkValidator) Description(context.Context) string { return v.desc }

func (v checkValidator) MarkdownDescription(context.Context) string { return v.desc }

func (v checkValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.Path.String()
	if err := v.check(name, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+name, err.Error())
	}
}

// checkOf adapts one of hwc's value checks, naming the attribute.
func checkOf(check func(string) error) func(name, value string) error {
	return func(name, value string) error {
		if err := check(value); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
}

// pathParamValidator rejects a value that could change the request path,
// with the very check the client makes before every request.
var pathParamValidator = checkValidator{
	desc:  "must not be empty or blank, nor contain /, \\, ?, #, %, .., whitespace or control characters",
	check: hwc.ValidatePathParam,
}

// regionValidator checks a region name, which becomes part of a host name.
var regionValidator = checkValidator{
	desc:  "must be a region name: lower-case letters, digits and hyphens, such as cn-north-4",
	check: checkOf(hwc.CheckRegion),
}

// endpointValidator checks an endpoint base URL.
var endpointValidator = checkValidator{
	desc:  "must be a base URL: [scheme://]host[:port][/prefix], with no query or fragment",
	check: checkOf(hwc.CheckEndpoint),
}

// positiveDuration checks that a duration string (already checked as one
// by timetypes.GoDuration) is above zero, as hwc requires.
var positiveDuration = checkValidator{
	desc: "must be a positive duration such as 30s, 1m or 1m30s",
	check: func(name, value string) error {
		if _, err := time.ParseDuration(value); err != nil {
			return nil // the type's own validation reports it
		}
		_, err := hwc.CheckRequestTimeout(value)
		return checkOf(func(string) error { return err })(name, value)
	},
}

// numberCheck rejects, at plan time, a known number that check refuses.
type numberCheck[T int64 | float64] struct {
	desc  string
	check func(T) error
}

func (v numberCheck[T]) Description(context.Context) string { return v.desc }

func (v numberCheck[T]) MarkdownDescription(context.Context) string { return v.desc }

func (v numberCheck[T]) validate(p path.Path, value T, diags *diag.Diagnostics) {
	if err := v.check(value); err != nil {
		diags.AddAttributeError(p, "Invalid "+p.String(), fmt.Sprintf("%s: %v", p, err))
	}
}

func (v numberCheck[T]) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() {
		if f, ok := any(v).(numberCheck[int64]); ok {
			f.validate(req.Path, req.ConfigValue.ValueInt64(), &resp.Diagnostics)
		}
	}
}

func (v numberCheck[T]) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() {
		if f, ok := any(v).(numberCheck[float64]); ok {
			f.validate(req.Path, req.ConfigValue.ValueFloat64(), &resp.Diagnostics)
		}
	}
}

var (
	maxRetriesValidator = numberCheck[int64]{desc: "must be from 0 to 100", check: hwc.CheckMaxRetries}
	rpsValidator        = numberCheck[float64]{desc: "must be 0 (unlimited) or more", check: hwc.CheckRequestsPerSecond}
	durationValidator   = numberCheck[int64]{desc: "must be 900 to 43200 seconds", check: func(n int64) error {
		_, err := hwc.AssumeRoleDurationSeconds(n)
		return err
	}}
)
