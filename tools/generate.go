// Package tools is the module of the commands that only build the
// project's docs: its go.mod pins them (tfplugindocs as a `tool`), so the
// provider's own go.mod lists only what the provider links. `make docs`
// runs `go generate ./...` here.
package tools

// The provider's schema, asked of its protocol 6 server in-process: no
// Terraform CLI is needed, of any version.
//go:generate go run ./cmd/schemajson ../bin/providers-schema.json

// Render docs/ from templates/, examples/ and that schema, offline.
//go:generate go tool tfplugindocs generate --provider-dir .. --provider-name hwcjobs --rendered-provider-name hwcjobs --providers-schema ../bin/providers-schema.json
