#!/usr/bin/env bash
# make install: builds the provider at a release version and puts it in the
# implicit local filesystem mirror of Terraform and OpenTofu, so that a plain
# `terraform init` (or `tofu init`) of any configuration finds it with no
# registry and no CLI configuration.
#
# The mirror is the "unpacked" layout both CLIs read from the user's plugin
# directory when their CLI configuration has no provider_installation block:
#   $HOME/.terraform.d/plugins/HOST/hwcjobs/hwcjobs/VERSION/OS_ARCH/terraform-provider-hwcjobs_vVERSION
# (%APPDATA%/terraform.d/plugins on Windows), once for registry.terraform.io
# (Terraform) and once for registry.opentofu.org (OpenTofu), the hosts each
# resolves "hwcjobs/hwcjobs" to.
#
# Usage: scripts/install.sh [VERSION]; VERSION defaults to the newest
# release in CHANGELOG.md. It must be a release (x.y.z): init never picks a
# prerelease (0.2.0-dev) for a constraint such as "~> 0.2".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

version=${1:-$(sed -nE 's/^## ([0-9]+\.[0-9]+\.[0-9]+)( .*)?$/\1/p' "$root/CHANGELOG.md" | head -n1)}
version=${version#v}
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "install: version '$version' is not a release (x.y.z): terraform init would never pick it for \"~> x.y\"" >&2
  exit 1
fi

goos=$(go env GOOS)
goarch=$(go env GOARCH)
exe=
plugins="${HOME:?HOME is not set}/.terraform.d/plugins"
if [[ "$goos" == windows ]]; then
  exe=.exe
  plugins="${APPDATA:?APPDATA is not set}/terraform.d/plugins"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -ldflags "-s -w -X main.version=$version" -o "$work/terraform-provider-hwcjobs_v$version$exe" .)

for host in registry.terraform.io registry.opentofu.org; do
  dir="$plugins/$host/hwcjobs/hwcjobs/$version/${goos}_$goarch"
  mkdir -p "$dir"
  # A former build of this version goes first: the directory must hold one
  # provider executable.
  rm -f "$dir"/terraform-provider-hwcjobs*
  cp "$work/terraform-provider-hwcjobs_v$version$exe" "$dir/"
  echo "installed hwcjobs/hwcjobs $version for $host: $dir/terraform-provider-hwcjobs_v$version$exe"
done

major_minor=${version%.*}
cat <<EOF

Use it from any directory, with no network:

  terraform {
    required_providers {
      hwcjobs = {
        source  = "hwcjobs/hwcjobs"
        version = "~> $major_minor"
      }
    }
  }

then terraform init (or tofu init). A build of other sources under the same
version has another checksum: where a .terraform.lock.hcl recorded the former
build, delete its hwcjobs/hwcjobs block and run init again.
A CLI configuration (~/.terraformrc, TF_CLI_CONFIG_FILE) with a
provider_installation block turns this directory off: add a filesystem_mirror
for $plugins to that block.
EOF
