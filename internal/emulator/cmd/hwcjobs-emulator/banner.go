package main

import (
	"fmt"
	"strings"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// URLEnv names the variable the sub-commands find the emulator by.
const URLEnv = "HWCJOBS_EMULATOR_URL"

// banner is what the emulator prints once listening: where it is, the
// export lines for the provider, and, per service, the endpoints for SDKs.
type banner struct {
	url       string              // the prefixed listener
	endpoints []emulator.Endpoint // per service, IAM first; nil without -per-service
	services  []*service.Service
	tls       bool
	certFile  string
	manual    bool
}

// endpoint returns the URL for name (a service's name, or iam): its own
// port in per-service mode, else the prefixed listener's URL and prefix.
func (b banner) endpoint(name, host string) string {
	for _, e := range b.endpoints {
		if e.Name == name {
			return e.URL
		}
	}
	return b.url + "/" + host
}

// exports are shell lines that point the provider (and the sub-commands)
// at the emulator.
func (b banner) exports() string {
	var w strings.Builder
	fmt.Fprintf(&w, "export %s=%s\n", URLEnv, b.url)
	fmt.Fprintf(&w, "export HW_REGION_NAME=%s\n", emulator.DefaultRegion)
	fmt.Fprintf(&w, "export HW_ACCESS_KEY=%s\n", emulator.DemoAccessKey)
	fmt.Fprintf(&w, "export HW_SECRET_KEY=%s\n", emulator.DemoSecretKey)
	for _, svc := range b.services {
		fmt.Fprintf(&w, "export %s=%s\n", svc.EnvVar(), b.endpoint(svc.Name, svc.Host))
	}
	fmt.Fprintf(&w, "export HW_IAM_ENDPOINT=%s\n", b.endpoint(emulator.IAMName, emulator.IAMName))
	if b.tls {
		fmt.Fprintln(&w, "export HW_INSECURE=true")
	}
	return w.String()
}

func (b banner) String() string {
	var w strings.Builder
	fmt.Fprintf(&w, "hwcjobs emulator listening on %s (every service under a path prefix: %s/ecs, ...)\n", b.url, b.url)
	if b.tls {
		fmt.Fprintln(&w, "  self-signed certificate: set insecure = true (HW_INSECURE=true) in the provider, or trust the -cert-file")
		if b.certFile != "" {
			fmt.Fprintf(&w, "  certificate (PEM) written to %s: HW_CACERT_FILE=%s\n", b.certFile, b.certFile)
		}
	}
	fmt.Fprintf(&w, "  admin API: %s/_emulator/ (lists its routes), or the sub-commands: hwcjobs-emulator help\n", b.url)
	if b.manual {
		fmt.Fprintln(&w, "  the job clock is manual: hwcjobs-emulator advance 10s")
	}
	fmt.Fprintln(&w)
	fmt.Fprintln(&w, "# Paste into a shell to point the hwcjobs provider (and the sub-commands) at the emulator:")
	fmt.Fprint(&w, b.exports())
	fmt.Fprintf(&w, "# or, instead of the keys, an IAM token: export HW_AUTH_TOKEN=%s\n", emulator.DemoAuthToken)
	fmt.Fprintf(&w, "# or temporary keys from the ECS metadata: export HW_USE_ECS_METADATA=true HW_ECS_METADATA_ENDPOINT=%s%s\n", b.url, emulator.MetadataPrefix)
	fmt.Fprintf(&w, "# assume_role on top of the keys: export HW_ASSUME_ROLE_AGENCY_NAME=%s HW_ASSUME_ROLE_DOMAIN_NAME=%s\n", emulator.DemoAgencyName, emulator.DemoAgencyDomain)
	if len(b.endpoints) > 0 {
		fmt.Fprintln(&w)
		fmt.Fprintf(&w, "# For SDKs, one endpoint per service with no path (region %s, project ID %s):\n", emulator.DefaultRegion, emulator.DefaultProjectID)
		for _, e := range b.endpoints {
			path := "GET /v3/projects (IAM project look-up)"
			for _, svc := range b.services {
				if svc.Name == e.Name {
					path = "GET " + svc.Path
				}
			}
			fmt.Fprintf(&w, "#   %-10s %-24s %s\n", e.Name, e.URL, path)
		}
	}
	return w.String()
}
