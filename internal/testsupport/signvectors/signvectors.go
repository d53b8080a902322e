// Package signvectors holds requests signed by Huawei Cloud's official Go
// SDK, the reference the provider's signer and the emulator's verifier are
// both checked against. It imports nothing, so any package's tests can use
// it.
package signvectors

import (
	_ "embed" // the vectors
)

// JSON is the vectors document: {"algorithm": ..., "vectors": [{name,
// access_key, secret_key, security_token, method, url, headers, body,
// x_sdk_date, canonical_request, string_to_sign, signature, signed_headers,
// authorization, project_id}]}. Each package decodes the fields it needs.
//
//go:embed testdata/sign_vectors.json
var JSON []byte
