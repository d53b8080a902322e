#!/usr/bin/env bash
# Writes the provider's schema, as `terraform providers schema -json` prints
# it, to the file named by $1, for tfplugindocs --providers-schema. The
# provider is built from this tree into a temp dir and loaded through a
# dev_overrides CLI config, so nothing is downloaded (tfplugindocs would
# otherwise fetch Terraform and install the provider itself).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: $0 OUTPUT.json}
terraform=${TERRAFORM:-$("$root/scripts/tool.sh" terraform)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && go build -o "$work/bin/terraform-provider-hwcjobs" .)
cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/hwcjobs/hwcjobs" = "$work/bin"
  }
  direct {}
}
CFG
cat >"$work/main.tf" <<'HCL'
terraform {
  required_providers {
    hwcjobs = {
      source = "hwcjobs/hwcjobs"
    }
  }
}
HCL

# tfplugindocs looks the schema up as "hwcjobs" or
# "registry.terraform.io/hashicorp/hwcjobs", not by our own registry address.
(cd "$work" && TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 "$terraform" providers schema -json 2>"$work/stderr") \
  | sed 's#"registry.terraform.io/hwcjobs/hwcjobs":#"hwcjobs":#' >"$work/schema.json" \
  || { cat "$work/stderr" >&2; exit 1; }
grep -q '"hwcjobs":{"provider"' "$work/schema.json" || { cat "$work/stderr" >&2; echo "no hwcjobs schema in the output" >&2; exit 1; }
# Terraform before 1.14 leaves action schemas out, and tfplugindocs would
# then delete docs/actions: say so rather than render partial docs.
grep -q '"action_schemas":{"' "$work/schema.json" || {
  echo "$("$terraform" version 2>/dev/null | grep -m1 -E '^(Terraform|OpenTofu) v')" \
    "leaves out the provider's action schemas: make docs needs Terraform 1.14 or later (set TERRAFORM)" >&2
  exit 1
}
mkdir -p "$(dirname "$out")"
mv "$work/schema.json" "$out"
