#!/usr/bin/env bash
# make demo: start the emulator, point Terraform at the local provider build
# through a dev_overrides CLI config, apply examples/demo, show the outputs,
# and stop the emulator. Needs bin/ built (make build emulator).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
terraform=$("$root/scripts/tool.sh" terraform) # TERRAFORM, PATH, or bin/
work=$(mktemp -d)
emulator_pid=
cleanup() {
  [[ -n "$emulator_pid" ]] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$root/bin/hwcjobs-emulator" -port 0 -url-file "$work/url" -jobs "$root/examples/demo/jobs.json" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do [[ -s "$work/url" ]] && break; sleep 0.1; done
[[ -s "$work/url" ]] || { cat "$work/emulator.log"; echo "the emulator did not start" >&2; exit 1; }
url=$(cat "$work/url")
echo "emulator: $url"

cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/hwcjobs/hwcjobs" = "$root/bin"
  }
  direct {}
}
CFG
cp "$root/examples/demo/main.tf" "$work/"

export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1
export HW_REGION_NAME=cn-north-4
export HW_ACCESS_KEY=HWCJOBSDEMOACCESSKEY HW_SECRET_KEY=hwcjobs-demo-secret-key-do-not-use
export HW_ECS_ENDPOINT="$url/ecs" HW_ELB_ENDPOINT="$url/elb" HW_SDRS_ENDPOINT="$url/sdrs"
export HW_SFS_TURBO_ENDPOINT="$url/sfs-turbo" HW_EVS_ENDPOINT="$url/evs" HW_BMS_ENDPOINT="$url/bms"
export HW_CCE_ENDPOINT="$url/cce" HW_IAM_ENDPOINT="$url/iam"

cd "$work"
"$terraform" apply -auto-approve -input=false -compact-warnings
echo
echo "A second plan must show no changes:"
"$terraform" plan -input=false -no-color -compact-warnings -detailed-exitcode >"$work/plan.log" 2>&1 || { cat "$work/plan.log"; echo "the plan after apply is not empty" >&2; exit 1; }
grep -E '^No changes' "$work/plan.log"
