#!/usr/bin/env bash
# Runs every test project of the solution and ends with one line "N passed, N failed, N skipped",
# summed over all projects from their TRX results. Extra arguments go to `dotnet test`.
set -uo pipefail
cd "$(dirname "$0")"

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet test --solution IntegrationHub.sln --report-trx --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(value passed); f=$(value failed); e=$(value error); t=$(value timeout); a=$(value aborted); n=$(value notExecuted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${n:-0}))
done

# The browser helper's unit tests (clients/browser, node's built-in runner) count with the rest: their TAP summary
# lines "# pass N", "# fail N", "# cancelled N", "# skipped N", "# todo N".
if command -v node >/dev/null 2>&1; then
  node --test --test-reporter=tap clients/browser/test/ > "$results/clients-browser.tap" 2>&1
  node_status=$?
  tap() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$results/clients-browser.tap" | tail -n 1; }
  np=$(tap pass); nf=$(tap fail); nc=$(tap cancelled); ns=$(tap skipped); nt=$(tap todo)
  passed=$((passed + ${np:-0}))
  failed=$((failed + ${nf:-0} + ${nc:-0}))
  skipped=$((skipped + ${ns:-0} + ${nt:-0}))
  if [ "$node_status" -ne 0 ] && [ "${nf:-0}" -eq 0 ] && [ "${nc:-0}" -eq 0 ]; then
    failed=$((failed + 1)) # the runner failed without reporting a failed test (e.g. a syntax error)
  fi
  if [ "$node_status" -ne 0 ]; then
    cat "$results/clients-browser.tap"
  fi
  echo "clients/browser (node --test): ${np:-0} passed, $(( ${nf:-0} + ${nc:-0} )) failed, $(( ${ns:-0} + ${nt:-0} )) skipped"
else
  echo "node not found: the browser helper's unit tests (clients/browser) did not run."
fi

if [ "$files" -eq 0 ] && [ "$status" -ne 0 ]; then
  # The build failed before any test ran: count that as a failure, not as an empty success.
  failed=1
fi

echo
echo "Test results: $files TRX file(s) in $results"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
exit 0
