#!/usr/bin/env bash
# Runs every Go fuzz target for a bounded time, one at a time (go test
# -fuzz takes one target), and prints the executions of each and in all.
# Usage: FUZZTIME=15s scripts/fuzz.sh   (make fuzz)
# `make test` runs the same targets' seed corpora as ordinary tests.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-15s}
# Minimising each new interesting input for Go's default 60s stalls a
# short run (its executions go uncounted); crashes are still saved.
minimize=${FUZZMINIMIZETIME:-2s}

# package:target
targets=(
  internal/hwc:FuzzSignerVerifier
  internal/hwc:FuzzSign
  internal/hwc:FuzzCanonicalURI
  internal/hwc:FuzzDecodeError
  internal/emulator:FuzzVerify
  internal/jobs:FuzzDecode
  internal/jobs:FuzzParseTime
)

log=$(mktemp)
trap 'rm -f "$log"' EXIT
total=0
failed=()
summary=()
for t in "${targets[@]}"; do
  pkg=${t%%:*} name=${t##*:}
  echo "== $name ($pkg, $fuzztime)"
  status=ok
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" "./$pkg" >"$log" 2>&1 || status=FAIL
  # The last progress line holds the target's total, e.g.
  # "fuzz: elapsed: 15s, execs: 412345 (27489/sec), new interesting: 3 (total: 120)".
  execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' "$log" | tail -n1)
  execs=${execs:-0}
  total=$((total + execs))
  summary+=("$(printf '%-22s %-18s %12s  %s' "$name" "$pkg" "$execs" "$status")")
  if [[ $status != ok ]]; then
    failed+=("$name")
    cat "$log"
  else
    tail -n2 "$log"
  fi
done

echo
printf '%-22s %-18s %12s  %s\n' target package execs result
printf '%s\n' "${summary[@]}"
echo "total executions: $total (${#targets[@]} targets, $fuzztime each)"
if ((${#failed[@]})); then
  echo "failed: ${failed[*]} (inputs saved under the package's testdata/fuzz/)" >&2
  exit 1
fi
