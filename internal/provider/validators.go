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

// hostnamePattern matches a domain such as myhuaweicloud.com: it becomes
// part of a host name, so nothing else may pass.
var hostnamePattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]{0,126}[A-Za-z0-9])?$`)

// regionPattern matches a region name, which becomes part of a host name.
var regionPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

var regionValidator = stringvalidator.RegexMatches(regionPattern, "must be a region name: lower-case letters, digits and hyphens, such as cn-north-4")

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

// pathParamValidator rejects a value that could change the request path,
// with the very check the client makes before every request.
var pathParamValidator = checkValidator{
	desc:  "must not be empty or blank, nor contain /, \\, ?, #, %, .., whitespace or control characters",
	check: hwc.ValidatePathParam,
}

// endpointValidator checks an endpoint base URL.
var endpointValidator = checkValidator{
	desc: "must be an http(s) base URL: scheme://host[:port][/prefix], with no query or fragment",
	check: func(name, value string) error {
		if err := checkEndpoint(value); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	},
}

// positiveDuration checks that a duration string (already checked as one
// by timetypes.GoDuration) is above zero.
var positiveDuration = checkValidator{
	desc: "must be a positive duration such as 30s, 1m or 1m30s",
	check: func(name, value string) error {
		if d, err := time.ParseDuration(value); err == nil && d <= 0 {
			return fmt.Errorf("%s must be a positive duration such as 30s, 1m or 1m30s, got %q", name, value)
		}
		return nil
	},
}
