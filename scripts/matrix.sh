#!/usr/bin/env bash
# The version matrix of `make test`, one leg after the other (-race and two
# cores leave nothing to gain from running them side by side):
#
#   Terraform, newest   the CLI $TERRAFORM names or the first on PATH: every
#                       test, unit and acceptance, with -race
#   OpenTofu, newest    the CLI $TOFU names or the first on PATH: TOFU_TESTS
#   Terraform 1.6.6     bin/terraform, built once with go install: SMOKE_TESTS
#   OpenTofu 1.6.3      bin/tofu, built once with go install: SMOKE_TESTS
#
# A TERRAFORM or TOFU that names no usable CLI fails its leg. A newest leg
# with no CLI, or whose CLI is the oldest supported release, passes as
# SKIPPED and names the tests it did not run; the unit tests then run on
# their own. Every leg runs even after one fails; the table at
# the end says what each did. Exit status: 1 when any leg failed.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${TOFU_TESTS:?set TOFU_TESTS (the makefile does)}" "${SMOKE_TESTS:?set SMOKE_TESTS (the makefile does)}"

rows=()
skipped=()
failed=0

# row LEG CLI VERSION TESTS RESULT
row() { rows+=("$(printf '%-18s %-30s %-10s %-34s %s' "$@")"); }

# run LEG CLI VERSION TESTS COMMAND...: a leg that runs.
run() {
  local leg=$1 cli=$2 version=$3 tests=$4 start result
  shift 4
  echo
  if [[ "$cli" == - ]]; then echo "== $leg: $tests, no CLI"; else echo "== $leg: $tests on $cli ($version)"; fi
  start=$SECONDS
  if "$@"; then result=PASS; else result=FAIL; failed=1; fi
  row "$leg" "$cli" "$version" "$tests" "$result ($((SECONDS - start))s)"
}

# skip LEG WHY TESTS NOT_RUN: a leg that passes without running.
skip() {
  local leg=$1 why=$2 tests=$3 not_run=$4
  echo
  echo "== $leg: SKIPPED ($why)"
  row "$leg" "-" "-" "$tests" "SKIPPED"
  skipped+=("$leg: $why. Not run: $not_run")
}

# list PATTERN: the acceptance tests go test -run PATTERN would run.
list() { go test -list "$1" ./internal/provider/ | grep '^TestAcc' | sort || true; }

# not_run PATTERN [EXCEPT]: the acceptance tests matching PATTERN and not
# EXCEPT, counted and named.
not_run() {
  local tests
  tests=$(list "$1")
  [[ -z "${2:-}" ]] || tests=$(comm -23 <(echo "$tests") <(list "$2"))
  echo "$(wc -w <<<"$tests") tests:" $tests
}

version() { scripts/tool.sh --version "$1"; }

# newer CLI OLDEST_VERSION: true when CLI is set and is not the oldest
# release (go install builds call themselves x.y.z-dev).
newer() { [[ -n "$1" ]] && [[ "$(version "$1" | sed 's/-dev$//')" != "${2%-dev}" ]]; }

old_tf=$(scripts/tool.sh --oldest terraform) || exit 1
old_tofu=$(scripts/tool.sh --oldest tofu) || exit 1
old_tf_version=$(version "$old_tf")
old_tofu_version=$(version "$old_tofu")

# Terraform, newest.
tf=$(scripts/tool.sh --found terraform) || tf=
if [[ -n "${TERRAFORM:-}" && -z "$tf" ]]; then
  row "Terraform newest" "$TERRAFORM" "-" "every test, -race" "FAIL (TERRAFORM names no usable CLI)"
  failed=1
elif newer "$tf" "$old_tf_version"; then
  run "Terraform newest" "$tf" "$(version "$tf")" "every test, -race" scripts/acc.sh "$tf"
else
  why="no Terraform newer than ${old_tf_version%-dev} in TERRAFORM or on PATH${tf:+ ($tf is $(version "$tf"))}"
  skip "Terraform newest" "$why" "every test, -race" "the acceptance tests outside SMOKE_TESTS, $(not_run 'TestAcc' "$SMOKE_TESTS")"
  run "unit" "-" "-" "unit tests, fuzz seeds, -race" env -u TF_ACC go test -race -count=1 ./...
fi

# OpenTofu, newest.
tofu=$(scripts/tool.sh --found tofu) || tofu=
if [[ -n "${TOFU:-}" && -z "$tofu" ]]; then
  row "OpenTofu newest" "$TOFU" "-" "TOFU_TESTS" "FAIL (TOFU names no usable CLI)"
  failed=1
elif newer "$tofu" "$old_tofu_version"; then
  run "OpenTofu newest" "$tofu" "$(version "$tofu")" "TOFU_TESTS" scripts/acc.sh "$tofu" "$TOFU_TESTS"
else
  why="no OpenTofu newer than ${old_tofu_version%-dev} in TOFU or on PATH${tofu:+ ($tofu is $(version "$tofu"))}"
  skip "OpenTofu newest" "$why" "TOFU_TESTS" "TOFU_TESTS on a current OpenTofu, $(not_run "$TOFU_TESTS")"
fi

# The oldest supported releases.
run "Terraform oldest" "$old_tf" "$old_tf_version" "SMOKE_TESTS" scripts/acc.sh "$old_tf" "$SMOKE_TESTS"
run "OpenTofu oldest" "$old_tofu" "$old_tofu_version" "SMOKE_TESTS" scripts/acc.sh "$old_tofu" "$SMOKE_TESTS"

echo
echo "== test matrix"
printf '%-18s %-30s %-10s %-34s %s\n' leg CLI version tests result
printf '%s\n' "${rows[@]}"
if ((${#skipped[@]})); then
  echo
  for s in "${skipped[@]}"; do
    echo "!! SKIPPED $s"
  done
  echo "!! To run them, put a current Terraform (1.14 or newer runs actions) and OpenTofu on PATH, or name them: make test TERRAFORM=/path/to/terraform TOFU=/path/to/tofu"
fi
exit "$failed"
