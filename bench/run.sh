#!/usr/bin/env bash
# The benchmarks of the hub, in one command: bench/run.sh [--quick] [--only P9,P10] [--out FILE]
#   - installs wrk from Debian's packages when it is missing (as root, or through sudo),
#   - builds the hub (through the benchmark host, which adds the /_bench baselines), the sandbox and the driver in Release,
#   - runs P1–P10 (--only P9,P10: just those goals): the hub and the standalone sandbox on loopback, the hub pinned to core 0 and the load
#     (wrk, the sandbox, this driver and P7's webhook receiver inside it) to core 1, warm-up, alternating rounds,
#     progress on the way,
#   - prints the table and writes bench/results/latest.md (--quick: bench/results/raw/quick.md).
# --quick (CI) takes under three minutes and fails only when a benchmark does not complete or an invariant
# breaks (P2's upstream call count is not exactly one per tenant; P7's receiver misses a message id or a delivery
# is not Delivered); the full run takes about 16 minutes.
# --scale (not in CI) measures how the cost grows with the number of customers instead: 10,000 and 100,000 tenants with
# 5 installations each (sync, CSV export, deep admin query, token memory, reconciler pass) and writes
# bench/results/scale.md (--out FILE elsewhere); it takes about 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v taskset >/dev/null; then
  echo "taskset (util-linux) is required to pin the server and the load generator to different cores." >&2
  exit 2
fi
if [ "$(nproc)" -lt 2 ]; then
  echo "The benchmarks need two cores (one for the hub, one for the load); this machine has $(nproc)." >&2
  exit 2
fi
if ! command -v wrk >/dev/null; then
  echo "Installing wrk from Debian's packages ..."
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get install -y -qq wrk >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null; }
fi

echo "Building Release ..."
# The Release hub contains no sandbox: the standalone one is built on its own.
dotnet build bench/IntegrationHub.Bench.Host/IntegrationHub.Bench.Host.csproj -c Release -p:SkipClientApp=true -nologo -clp:ErrorsOnly -v:quiet
dotnet build src/AlloySandbox/AlloySandbox.csproj -c Release -nologo -clp:ErrorsOnly -v:quiet
dotnet build bench/IntegrationHub.Bench/IntegrationHub.Bench.csproj -c Release -nologo -clp:ErrorsOnly -v:quiet

export DOTNET_CLI_TELEMETRY_OPTOUT=1
exec taskset -c 1 dotnet bench/IntegrationHub.Bench/bin/Release/net10.0/IntegrationHub.Bench.dll "$@"
