//go:build generate

// Package tools pins, through go.mod, the versions of the Go tools that
// `go generate` runs, as the hashicorp provider scaffolding does. Nothing
// imports it; go generate sets the "generate" build tag, so `make docs`
// (go generate ./tools) sees this file and `go build ./...` does not.
package tools

import (
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)

// Export the schema of the provider built from this tree, offline, with the
// local Terraform (dev_overrides): tfplugindocs then needs no download.
//go:generate ../scripts/providers-schema.sh ../bin/providers-schema.json

// Render docs/ from templates/, examples/ and that schema.
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name hwcjobs --rendered-provider-name hwcjobs --providers-schema ../bin/providers-schema.json
