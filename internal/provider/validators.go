package provider

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/hwc"
)

// hostnamePattern matches a region name or a domain: it becomes part of a
// host name, so nothing else may pass.
var hostnamePattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]{0,126}[A-Za-z0-9])?$`)

// regionPattern matches a region name, which becomes part of a host name.
var regionPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

var regionValidator = stringvalidator.RegexMatches(regionPattern, "must be a region name: lower-case letters, digits and hyphens, such as cn-north-4")

// pathParamValidator rejects, at plan time, a value that could change the
// request path (the same check the client makes before every request).
type pathParamValidator struct{}

func (pathParamValidator) Description(context.Context) string {
	return "must not be empty or blank, nor contain /, \\, ?, #, %, .., whitespace or control characters"
}

func (v pathParamValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (pathParamValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.Path.String()
	if err := hwc.ValidatePathParam(name, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+name, err.Error())
	}
}

// endpointValidator checks an endpoint base URL at plan time.
type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "must be an http(s) base URL: scheme://host[:port][/prefix], with no query or fragment"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint", fmt.Sprintf("%s: %v", req.Path, err))
	}
}

// durationValidator checks a positive Go duration string such as 30s.
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s, 1m or 1m30s"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%s must be a positive duration such as 30s, 1m or 1m30s, got %q.", req.Path, req.ConfigValue.ValueString()))
	}
}
