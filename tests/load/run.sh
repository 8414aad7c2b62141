#!/usr/bin/env bash
# Load run: starts the gateway in Development (dev PKI + echo upstream on loopback, Release build), drives it with
# autocannon over mutual TLS, and stops it. Usage: tests/load/run.sh [durationSeconds] [connections]
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd ../.. && pwd)"
duration="${1:-10}"
connections="${2:-32}"

[ -d node_modules/autocannon ] || npm install --no-audit --no-fund --silent

dotnet build -c Release "$root/src/MtlsGateway" -nologo -v q >/dev/null
log="$(mktemp)"
(cd "$root/src/MtlsGateway" && ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
  exec dotnet "bin/Release/net10.0/MtlsGateway.dll") >"$log" 2>&1 &
gateway=$!
trap 'kill $gateway 2>/dev/null || true; wait $gateway 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
  grep -q "curl " "$log" && break
  sleep 0.5
done
grep -q "curl " "$log" || { cat "$log"; echo "gateway did not start"; exit 1; }

node load.mjs https://localhost:8443/load "$root/src/MtlsGateway/dev-pki" "$duration" "$connections"
