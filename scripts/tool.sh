#!/usr/bin/env bash
# Prints the path of a CLI the project needs, installing it into bin/ with
# `go install` when the machine has no suitable one (nothing else is
# downloaded). Usage: scripts/tool.sh terraform|tofu
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/bin"

# version_ok VERSION: true when VERSION (x.y.z, maybe -dev) is 1.6 or newer.
version_ok() {
  local major minor
  IFS=. read -r major minor _ <<<"${1#v}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  (( major > 1 || (major == 1 && minor >= 6) ))
}

# cli_version CMD: the version a terraform-like CLI prints, e.g. 1.6.6-dev.
cli_version() {
  "$1" version 2>/dev/null | head -n1 | sed -nE 's/^[A-Za-z]+ v?([0-9][^ ]*).*/\1/p'
}

case "${1:-}" in
  terraform) module=github.com/hashicorp/terraform@v1.6.6 ;;
  tofu)      module=github.com/opentofu/opentofu/cmd/tofu@v1.6.3 ;;
  *) echo "usage: $0 terraform|tofu" >&2; exit 2 ;;
esac
name=$1

for candidate in "$bin/$name" "$(command -v "$name" 2>/dev/null || true)"; do
  if [[ -n "$candidate" && -x "$candidate" ]] && version_ok "$(cli_version "$candidate")"; then
    echo "$candidate"
    exit 0
  fi
done

echo "installing $name ($module) into bin/: about two minutes, once" >&2
mkdir -p "$bin"
GOBIN="$bin" GOFLAGS=-buildvcs=false go install "$module" >&2
echo "$bin/$name"
