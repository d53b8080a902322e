#!/usr/bin/env bash
# Runs acceptance tests with one Terraform or OpenTofu CLI, after saying
# which CLI and version it is.
#
#   scripts/acc.sh CLI            every test of the module, acceptance tests
#                                 included, with -race
#   scripts/acc.sh CLI PATTERN    the tests of internal/provider matching
#                                 PATTERN (a go test -run expression)
#
# OpenTofu resolves "hwcjobs" to registry.opentofu.org/hashicorp/hwcjobs,
# so under OpenTofu the test provider is reattached under that host.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:?usage: $0 CLI [PATTERN]}
pattern=${2:-}
[[ -x "$cli" ]] || { echo "acc.sh: $cli is not an executable Terraform or OpenTofu CLI" >&2; exit 1; }

# A CLI config file that does not exist configures nothing, but OpenTofu
# 1.12 then prints a warning before its version, which the testing library
# cannot parse: leave it out.
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -e "$TF_CLI_CONFIG_FILE" ]]; then
  echo "acc.sh: TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE does not exist: unset for these tests"
  unset TF_CLI_CONFIG_FILE
fi

banner=$(CHECKPOINT_DISABLE=1 "$cli" version 2>/dev/null | grep -E '^(Terraform|OpenTofu) v' | head -n1 || true)
export TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
case "$banner" in
  OpenTofu*) export TF_ACC_PROVIDER_HOST=registry.opentofu.org ;;
  Terraform*) unset TF_ACC_PROVIDER_HOST ;;
  *) echo "acc.sh: $cli does not look like Terraform or OpenTofu ('$banner')" >&2; exit 1 ;;
esac

if [[ -z "$pattern" ]]; then
  echo "-- every test with $banner ($cli), -race"
  exec go test -race -count=1 -timeout 15m ./...
fi

tests=$(go test -list "$pattern" ./internal/provider/ | grep '^Test' || true)
[[ -n "$tests" ]] || { echo "acc.sh: '$pattern' matches no test in internal/provider" >&2; exit 1; }
echo "-- $(wc -w <<<"$tests") tests with $banner ($cli): "$tests
exec go test -count=1 -timeout 10m -run "$pattern" ./internal/provider/
