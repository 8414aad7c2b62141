#!/usr/bin/env bash
# What a client that sends junk certificates costs the gateway: the gateway's CPU time (utime+stime of its process,
# from /proc) per connection, for N sequential openssl s_client connections of each kind, after a warm-up round.
# Not part of CI or `dotnet test`; see README, "Security", "Chain limit".
#
#   tests/load/junk-chain-cost.sh [--connections N] [--junk "150 300"]
#
# Kinds: a trusted leaf with its intermediate (the baseline; one GET each), the same plus J junk self-signed
# certificates, and an untrusted leaf plus J junk certificates, over TLS 1.2 and TLS 1.3. The gateway runs its
# Release build (NO_BUILD=1 skips the build; WARMUP_CONNECTIONS, 60, of each kind first) with revocation off, on PORT (18543), with an upstream on UPSTREAM_PORT
# (18580, python3 -m http.server). GATEWAY_DLL runs another build of the gateway (e.g. one without the chain limit).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
connections=100
junk_counts="150 300"
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --junk) junk_counts="$2"; shift 2 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "junk-chain-cost.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
port="${PORT:-18543}"
upstream_port="${UPSTREAM_PORT:-18580}"
ticks="$(getconf CLK_TCK)"
work="$(mktemp -d "${TMPDIR:-/tmp}/mtlsgateway-junk.XXXXXX")"
gateway_pid=""
upstream_pid=""
cleanup() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null || true
  [ -n "$upstream_pid" ] && kill "$upstream_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ "${NO_BUILD:-0}" != 1 ]; then
  dotnet build -c Release "$root/src/MtlsGateway" >/dev/null || { echo "junk-chain-cost.sh: the gateway does not build" >&2; exit 1; }
fi

cd "$work"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
ca_ext=(-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign")
openssl req -x509 "${ec[@]}" -keyout root.key -out root.crt -days 30 -subj "/CN=Junk Bench Root" "${ca_ext[@]}" 2>/dev/null
printf '%s\n' "basicConstraints=critical,CA:TRUE" "keyUsage=critical,keyCertSign,cRLSign" >ca.ext
openssl req -new "${ec[@]}" -keyout issuing.key -out issuing.csr -subj "/CN=Junk Bench Issuing" 2>/dev/null
openssl x509 -req -in issuing.csr -CA root.crt -CAkey root.key -CAcreateserial -days 30 -extfile ca.ext -out issuing.crt 2>/dev/null
printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >server.ext
openssl req -new "${ec[@]}" -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in server.csr -CA root.crt -CAkey root.key -CAcreateserial -days 30 -extfile server.ext -out server.crt 2>/dev/null
printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth" >client.ext
openssl req -new "${ec[@]}" -keyout client.key -out client.csr -subj "/CN=bench client" 2>/dev/null
openssl x509 -req -in client.csr -CA issuing.crt -CAkey issuing.key -CAcreateserial -days 30 -extfile client.ext -out client.crt 2>/dev/null
openssl req -x509 "${ec[@]}" -keyout stranger.key -out stranger.crt -days 30 -subj "/CN=stranger" 2>/dev/null
max_junk=0
for j in $junk_counts; do [ "$j" -gt "$max_junk" ] && max_junk="$j"; done
: >junk-all.pem
for i in $(seq 1 "$max_junk"); do
  openssl req -x509 "${ec[@]}" -keyout /dev/null -days 30 -subj "/CN=junk $i" 2>/dev/null >>junk-all.pem
done
cp issuing.crt chain-normal.pem
for j in $junk_counts; do
  awk -v n="$j" '/BEGIN CERT/{c++} c<=n' junk-all.pem >"junk-$j.pem"
  cat issuing.crt "junk-$j.pem" >"chain-junk-$j.pem"
done

cat >appsettings.json <<JSON
{
  "Logging": { "LogLevel": { "Default": "Information", "Microsoft.AspNetCore": "Warning", "Yarp": "Warning" } },
  "Kestrel": { "Endpoints": { "Gateway": { "Url": "https://127.0.0.1:$port",
    "Certificate": { "Path": "$work/server.crt", "KeyPath": "$work/server.key" } } } },
  "Gateway": {
    "Admin": { "Url": "http://127.0.0.1:0" },
    "ClientCertificates": { "TrustedCaFiles": [ "$work/root.crt" ], "Revocation": { "Mode": "Off" } }
  },
  "ReverseProxy": {
    "Routes": { "all": { "ClusterId": "upstream", "Match": { "Path": "{**catch-all}" } } },
    "Clusters": { "upstream": { "Destinations": { "one": { "Address": "http://127.0.0.1:$upstream_port/" } } } }
  }
}
JSON
mkdir -p www && echo ok >www/index.html
(cd www && exec python3 -m http.server "$upstream_port" --bind 127.0.0.1) >/dev/null 2>&1 &
upstream_pid=$!
(exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production dotnet "${GATEWAY_DLL:-$root/src/MtlsGateway/bin/Release/net10.0/MtlsGateway.dll}") >gateway.log 2>&1 &
gateway_pid=$!
for _ in $(seq 1 60); do
  curl -s --max-time 2 --cacert root.crt --cert client.crt --key client.key "https://127.0.0.1:$port/" >/dev/null 2>&1 && break
  sleep 1
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$gateway_pid/stat"; }

# One connection: the client's certificate, key and chain, the protocol; one GET that asks to close.
connect() {
  printf 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
    openssl s_client -connect "127.0.0.1:$port" -servername localhost -ign_eof -cert "$1" -key "$2" -cert_chain "$3" "$4" >/dev/null 2>&1 || true
}

# Prints the gateway's CPU milliseconds per connection for N connections of one kind.
measure() {
  local before after i
  for i in $(seq 1 10); do connect "$@"; done
  before="$(cpu_ticks)"
  for i in $(seq 1 "$connections"); do connect "$@"; done
  after="$(cpu_ticks)"
  awk -v t="$((after - before))" -v hz="$ticks" -v n="$connections" 'BEGIN { printf "%.2f", t * 1000 / hz / n }'
}

# .NET compiles hot code again after a while: warm every path up before measuring.
for i in $(seq 1 "${WARMUP_CONNECTIONS:-60}"); do
  connect client.crt client.key chain-normal.pem -tls1_3
  connect client.crt client.key chain-normal.pem -tls1_2
  [ $((i % 4)) -eq 0 ] && connect client.crt client.key "chain-junk-$max_junk.pem" -tls1_2 && connect client.crt client.key "chain-junk-$max_junk.pem" -tls1_3
done

echo "Gateway CPU per connection, ms ($connections connections each, $(nproc) cores, OpenSSL $(openssl version | awk '{print $2}'))"
printf '%-48s %8s %8s\n' "client sends" "TLS 1.2" "TLS 1.3"
row() {
  local label="$1"; shift
  printf '%-48s %8s %8s\n' "$label" "$(measure "$@" -tls1_2)" "$(measure "$@" -tls1_3)"
}
row "trusted leaf + intermediate (200)" client.crt client.key chain-normal.pem
for j in $junk_counts; do
  row "trusted leaf + intermediate + $j junk (refused)" client.crt client.key "chain-junk-$j.pem"
  row "untrusted leaf + $j junk (refused)" stranger.crt stranger.key "junk-$j.pem"
done
row "trusted leaf + intermediate (200), again" client.crt client.key chain-normal.pem
grep -c '"EventId":3002\|TlsHandshakeFailed\|TLS handshake failed' gateway.log | sed 's/^/handshake failure lines logged: /' || true
