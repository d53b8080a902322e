#!/usr/bin/env bash
# Finds the Terraform or OpenTofu CLI the project runs.
#
#   scripts/tool.sh terraform|tofu           the CLI to use: the one $TERRAFORM
#                                            (or $TOFU) names, else the first on
#                                            PATH, when it is 1.6 or newer; else
#                                            the oldest supported, built once
#                                            into bin/ with `go install`
#   scripts/tool.sh --found terraform|tofu   the same without the fallback:
#                                            prints nothing and exits 1 when
#                                            neither names a supported CLI
#   scripts/tool.sh --oldest terraform|tofu  bin/terraform (1.6.6) or bin/tofu
#                                            (1.6.3), built once with go install
#   scripts/tool.sh --version CLI            the version CLI reports, e.g. 1.6.6
#
# A variable that names a missing or unsupported CLI is an error, never
# silently replaced by another CLI. Nothing but the go install is
# downloaded.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/bin"

# The oldest supported releases, the fallback, and the smoke leg of make test.
OLDEST_TERRAFORM=1.6.6
OLDEST_TOFU=1.6.3

# cli_version CLI: the version a terraform-like CLI prints, e.g. 1.6.6 or
# 1.6.6-dev (go install builds say -dev), from the line that names it
# (warnings may come first). CHECKPOINT_DISABLE keeps Terraform from
# asking HashiCorp whether it is up to date.
cli_version() {
  CHECKPOINT_DISABLE=1 "$1" version 2>/dev/null | sed -nE 's/^(Terraform|OpenTofu) v([0-9][^ ]*).*/\2/p' | head -n1
}

# supported VERSION: true when VERSION is 1.6 or newer.
supported() {
  local major minor
  IFS=. read -r major minor _ <<<"${1#v}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  (( major > 1 || (major == 1 && minor >= 6) ))
}

# found NAME VARIABLE: the CLI VARIABLE names, else the first NAME on PATH,
# when supported. Fails loudly when VARIABLE names something unusable.
found() {
  local name=$1 var=$2 candidate version
  if [[ -n "${!var:-}" ]]; then
    candidate=$(command -v "${!var}" 2>/dev/null || true)
    [[ -n "$candidate" && -x "$candidate" ]] || { echo "$var=${!var}: no such executable" >&2; exit 1; }
    version=$(cli_version "$candidate")
    supported "$version" || { echo "$var=${!var} is ${version:-not a terraform-like CLI}: the project needs 1.6 or newer" >&2; exit 1; }
    echo "$candidate"
    return 0
  fi
  candidate=$(command -v "$name" 2>/dev/null || true)
  if [[ -n "$candidate" ]] && supported "$(cli_version "$candidate")"; then
    echo "$candidate"
    return 0
  fi
  return 1
}

# oldest NAME: bin/NAME at the oldest supported version, installed once.
oldest() {
  local name=$1 version module label minutes
  case "$name" in
    terraform) version=$OLDEST_TERRAFORM module=github.com/hashicorp/terraform label=Terraform minutes=15 ;;
    tofu)      version=$OLDEST_TOFU module=github.com/opentofu/opentofu/cmd/tofu label=OpenTofu minutes=15 ;;
  esac
  local have
  have=$(cli_version "$bin/$name" 2>/dev/null || true)
  if [[ "${have%-dev}" != "$version" ]]; then
    echo "installing $label v$version into bin/ (first run only, about $minutes min): go install $module@v$version" >&2
    mkdir -p "$bin"
    GOBIN="$bin" GOFLAGS=-buildvcs=false go install "$module@v$version" >&2
  fi
  echo "$bin/$name"
}

mode=use
case "${1:-}" in
  --found|--oldest) mode=${1#--}; shift ;;
  --version) cli_version "${2:?usage: $0 --version CLI}"; exit 0 ;;
esac
case "${1:-}" in
  terraform) var=TERRAFORM ;;
  tofu)      var=TOFU ;;
  *) echo "usage: $0 [--found|--oldest] terraform|tofu, or $0 --version CLI" >&2; exit 2 ;;
esac

case "$mode" in
  use)    found "$1" "$var" || oldest "$1" ;;
  found)  found "$1" "$var" ;;
  oldest) oldest "$1" ;;
esac
