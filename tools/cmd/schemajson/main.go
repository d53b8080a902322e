// Command schemajson writes the provider's schema as `terraform providers
// schema -json` would print it (the terraform-json ProviderSchemas format),
// for tfplugindocs --providers-schema. It asks the provider server of this
// tree for its protocol 6 schema in-process, so the docs need no Terraform
// CLI at all, of any version.
//
// Usage: go run ./cmd/schemajson OUTPUT.json   (make docs, from tools/)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/provider"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// providerName is the key tfplugindocs looks the schema up by (it tries
// the short name and registry.terraform.io/hashicorp/<name>, never our
// own registry address).
const providerName = "hwcjobs"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: schemajson OUTPUT.json")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "schemajson:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	server, err := providerserver.NewProtocol6WithError(provider.New("dev", service.All())())()
	if err != nil {
		return err
	}
	schemas, err := providerSchemas(context.Background(), server, providerName)
	if err != nil {
		return err
	}
	data, err := json.Marshal(schemas)
	if err != nil {
		return err
	}
	// out is this command's one argument, the file go generate names.
	if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil { //nolint:gosec // G703: the path is the caller's choice
		return err
	}
	return os.WriteFile(out, append(data, '\n'), 0o600) //nolint:gosec // G703: the path is the caller's choice
}
