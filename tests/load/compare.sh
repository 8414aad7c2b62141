#!/usr/bin/env bash
# Side-by-side load comparison of the gateway with nginx, HAProxy and the bare .NET floor (Kestrel + YARP), on one
# set of ECDSA P-256 certificates and one upstream. Not part of CI or `dotnet test`; see README, "Performance".
#
#   tests/load/compare.sh [--repeat N] [--seconds S] [--servers "nginx haproxy floor gateway"]
#                         [--loads "keepalive new reuse resumed"] [--no-crl] [--out FILE] [--keep]
#
# Each server runs pinned to CPU 1 (SERVER_CPU); the load clients (ab, openssl s_time, resumed_client.py) and the
# upstream (nginx answering "ok") run on CPU 0 (CLIENT_CPU). The server's CPU time (utime+stime of its whole process
# tree, from /proc) is read before and after every run, so a run bound by the load client still compares. Every
# measurement is repeated N times in rounds (each round starts every server afresh) and the median is reported.
# TLS_VERSION=1.2|1.3 fixes the protocol of the loads (default: negotiated, TLS 1.3).
# Experiments: SERVER_ENV="NAME=value ..." sets environment variables for the .NET servers (floor and gateway);
# FLOOR_ARGS and GATEWAY_ARGS add command-line settings (e.g. FLOOR_ARGS="--Floor:Mode=Direct"); GATEWAY_DLL runs
# another build of the gateway; NO_BUILD=1 skips the Release builds; warm-up before the loads: 3 s for nginx and HAProxy,
# DOTNET_WARMUP_SECONDS (45) for .NET, WARMUP_SECONDS for both. The upstream
# also serves cleartext HTTP/2 on UPSTREAM_H2_PORT (18081). IDLE_CONNECTIONS (500; 0: none) keep-alive connections
# are held open after the loads to measure RSS per connection. PROFILE=perf|counters|trace records the .NET servers
# during their PROFILE_LOAD runs (default keepalive) into the work folder (use --keep; perf needs
# SERVER_ENV=DOTNET_PerfMapEnabled=1; PERF_CALL_GRAPH=dwarf walks native frames too); figures of profiled runs are
# not for comparison. PROFILE=openssl-memory loads tests/load/OpenSslMemory into the .NET servers and reports, for the
# idle connections, the bytes OpenSSL holds per connection and the OpenSSL source lines that allocated them.
# Ports: PORT (server under test, 18443), UPSTREAM_PORT (18080), ADMIN_PORT (gateway admin listener, 18090).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

repeat=3
seconds=6
servers="nginx haproxy floor gateway"
loads="keepalive new reuse resumed"
with_crl=1
out=""
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    --loads) loads="$2"; shift 2 ;;
    --no-crl) with_crl=0; shift ;;
    --out) out="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

port="${PORT:-18443}"
upstream_port="${UPSTREAM_PORT:-18080}"
upstream_h2_port="${UPSTREAM_H2_PORT:-18081}"
admin_port="${ADMIN_PORT:-18090}"
server_cpu="${SERVER_CPU:-1}"
client_cpu="${CLIENT_CPU:-0}"
concurrency="${CONCURRENCY:-16}"
handshake_clients="${HANDSHAKE_CLIENTS:-4}"
# .NET needs far longer than nginx to reach its steady state: tiered compilation first runs instrumented code (for
# PGO) and recompiles hot methods in the background; measured after 8 s the floor costs 3x what it costs after 45 s.
native_warmup="${WARMUP_SECONDS:-3}"
dotnet_warmup="${WARMUP_SECONDS:-${DOTNET_WARMUP_SECONDS:-45}}"
crl_entries="${CRL_ENTRIES:-1000}"
idle_connections="${IDLE_CONNECTIONS:-500}"
clock_ticks="$(getconf CLK_TCK)"
read -r -a server_env <<<"${SERVER_ENV:-}"
read -r -a floor_args <<<"${FLOOR_ARGS:-}"
read -r -a gateway_args <<<"${GATEWAY_ARGS:-}"
# TLS_VERSION=1.2 or 1.3 fixes the protocol of the loads; by default client and server negotiate (TLS 1.3).
tls_option=""
ab_protocol=""
case "${TLS_VERSION:-}" in
  "") ;;
  1.2) tls_option="-tls1_2"; ab_protocol="TLS1.2" ;;
  1.3) tls_option="-tls1_3"; ab_protocol="TLS1.3" ;;
  *) echo "compare.sh: TLS_VERSION must be 1.2 or 1.3" >&2; exit 2 ;;
esac

fail() {
  echo "compare.sh: $*" >&2
  exit 1
}

install_prerequisites() {
  local packages=(nginx haproxy apache2-utils openssl curl python3 util-linux procps)
  local missing=()
  local package
  for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# --- processes: every one started here is recorded and stopped on exit, Ctrl-C included ---------------------------

started=()

descendants() {
  local pid="$1" child
  for child in $(pgrep -P "$pid" 2>/dev/null || true); do
    echo "$child"
    descendants "$child"
  done
}

stop_process() {
  local pid="$1" tree
  kill -0 "$pid" 2>/dev/null || return 0
  tree="$(descendants "$pid" | tr '\n' ' ')"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  # shellcheck disable=SC2086 # the list of descendants is meant to split
  kill -KILL "$pid" $tree 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${started[@]}"; do
    stop_process "$pid"
  done
  started=()
  if [ "$keep" -eq 0 ] && [ -n "${work:-}" ]; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'echo "compare.sh: interrupted" >&2; exit 130' INT TERM

forget() {
  local pid="$1" kept=() p
  for p in "${started[@]}"; do
    [ "$p" = "$pid" ] || kept+=("$p")
  done
  started=("${kept[@]}")
}

port_taken() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_port() {
  if port_taken "$1"; then
    fail "port $1 ($2) is already in use on 127.0.0.1: stop what listens there (ss -ltnp 'sport = :$1') or set $3"
  fi
}

# CPU time (µs) of a process and its descendants: utime+stime+cutime+cstime from /proc/<pid>/stat.
tree_cpu_us() {
  local pid="$1" total=0 p fields
  for p in "$pid" $(descendants "$pid"); do
    [ -r "/proc/$p/stat" ] || continue
    # Fields after the command name, which may hold spaces: field 14 (utime) is the 12th after ')'.
    fields="$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null)" || continue
    total=$((total + $(echo "$fields" | awk '{print $12 + $13 + $14 + $15}')))
  done
  echo $((total * 1000000 / clock_ticks))
}

# Resident memory (KiB) of a process and its descendants (summed, so pages shared by nginx's master and worker count twice).
tree_rss_kib() {
  local pid="$1" total=0 p rss
  for p in "$pid" $(descendants "$pid"); do
    rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)"
    total=$((total + ${rss:-0}))
  done
  echo "$total"
}

# --- certificates -------------------------------------------------------------------------------------------------

make_pki() {
  local dir="$1"
  mkdir -p "$dir"
  (
    cd "$dir"
    local curve=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
    openssl req -x509 "${curve[@]}" -keyout ca.key -out ca.crt -days 30 -subj "/O=Load Bench/CN=Load Bench CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >server.ext
    openssl req -new "${curve[@]}" -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile server.ext -out server.crt 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=clientAuth" "subjectAltName=URI:spiffe://load.bench/client" >client.ext
    openssl req -new "${curve[@]}" -keyout client.key -out client.csr -subj "/O=Load Bench/CN=load client" 2>/dev/null
    openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile client.ext -out client.crt 2>/dev/null
    cat client.crt client.key >client.pem
    cat server.crt server.key >server.pem

    # A CRL of the CA listing $crl_entries serials (none of them the client's), made with `openssl ca -gencrl`.
    : >index.txt
    local i
    for i in $(seq 1 "$crl_entries"); do
      printf 'R\t491231235959Z\t250101000000Z\t%s\tunknown\t/CN=revoked %d\n' "$(printf '7E%014X' "$i")" "$i" >>index.txt
    done
    echo 1000 >crlnumber
    cat >ca.cnf <<EOF
[ ca ]
default_ca = bench
[ bench ]
database = index.txt
crlnumber = crlnumber
certificate = ca.crt
private_key = ca.key
default_md = sha256
default_crl_days = 30
EOF
    openssl ca -config ca.cnf -gencrl -out ca.crl 2>/dev/null
    openssl verify -CAfile ca.crt client.crt >/dev/null
    openssl verify -crl_check -CRLfile ca.crl -CAfile ca.crt client.crt >/dev/null
  )
  [ "$(openssl crl -in "$dir/ca.crl" -noout -text | grep -c 'Serial Number:')" -eq "$crl_entries" ] ||
    fail "the CRL does not hold $crl_entries entries"
}

# --- servers ------------------------------------------------------------------------------------------------------

# nginx_conf_head <dir>: the start of an nginx.conf (up to inside `http {`) shared by the upstream and the nginx under
# test: one worker, files under <dir>, keep-alive without a request limit.
nginx_conf_head() {
  local dir="$1"
  if [ "$(id -u)" -eq 0 ]; then echo "user root;"; fi
  cat <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  keepalive_requests 1000000;
EOF
}

start_upstream() {
  local dir="$work/upstream"
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
$(nginx_conf_head "$dir")
  server {
    listen 127.0.0.1:$upstream_port;
    listen 127.0.0.1:$upstream_h2_port http2;
    location / { default_type text/plain; return 200 "ok"; }
  }
}
EOF
  taskset -c "$client_cpu" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' &
  upstream_pid=$!
  started+=("$upstream_pid")
  for _ in $(seq 1 50); do
    [ "$(curl -s "http://127.0.0.1:$upstream_port/" 2>/dev/null || true)" = "ok" ] && return 0
    sleep 0.1
  done
  fail "the upstream nginx did not answer on 127.0.0.1:$upstream_port (see $dir/error.log)"
}

# start_<server> <crl: 0|1>: starts the server under test on $port pinned to $server_cpu and sets server_pid.

start_nginx() {
  local crl="$1" dir="$work/nginx"
  mkdir -p "$dir"
  local crl_line=""
  [ "$crl" -eq 1 ] && crl_line="ssl_crl $pki/ca.crl;"
  cat >"$dir/nginx.conf" <<EOF
$(nginx_conf_head "$dir")
  upstream backend { server 127.0.0.1:$upstream_port; keepalive 64; }
  server {
    listen 127.0.0.1:$port ssl http2;
    ssl_certificate $pki/server.crt;
    ssl_certificate_key $pki/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_client_certificate $pki/ca.crt;
    ssl_verify_client on;
    $crl_line
    ssl_session_cache shared:SSL:10m;
    ssl_session_tickets on;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  taskset -c "$server_cpu" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' &
  server_pid=$!
  server_log="$dir/error.log"
}

start_haproxy() {
  local crl="$1" dir="$work/haproxy"
  mkdir -p "$dir"
  local crl_option=""
  [ "$crl" -eq 1 ] && crl_option="crl-file $pki/ca.crl"
  cat >"$dir/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 8192
  ssl-default-bind-options ssl-min-ver TLSv1.2
  tune.ssl.cachesize 20000
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
  http-reuse always
frontend bench
  bind 127.0.0.1:$port ssl crt $pki/server.pem ca-file $pki/ca.crt verify required $crl_option alpn h2,http/1.1
  default_backend upstream
backend upstream
  server upstream 127.0.0.1:$upstream_port
EOF
  taskset -c "$server_cpu" haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
  server_pid=$!
  server_log="$dir/haproxy.log"
}

# The floor logs as the gateway does by default: without ASP.NET Core's per-request hosting diagnostics, which open a
# log scope and an Activity for every request (2.2 KB allocated per request); FLOOR_ARGS can turn them back on.
start_floor() {
  local dir="$work/floor"
  mkdir -p "$dir"
  (cd "$dir" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production "${server_env[@]}" \
    taskset -c "$server_cpu" dotnet "$floor_dll" --Floor:Url="https://127.0.0.1:$port" \
    --Floor:Upstream="http://127.0.0.1:$upstream_port/" --Floor:CertificatePath="$pki/server.crt" \
    --Floor:KeyPath="$pki/server.key" --Floor:CaPath="$pki/ca.crt" --Logging:LogLevel:Default=Warning \
    --Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=None "${floor_args[@]}") >"$dir/floor.log" 2>&1 &
  server_pid=$!
  server_log="$dir/floor.log"
}

start_gateway() {
  local crl="$1" dir="$work/gateway"
  mkdir -p "$dir"
  local revocation='"Mode": "Off"'
  [ "$crl" -eq 1 ] && revocation="\"Mode\": \"Require\", \"CrlFiles\": [ \"$pki/ca.crl\" ]"
  # The shipped appsettings.json's logging levels, so the gateway runs as an operator gets it.
  cat >"$dir/appsettings.json" <<EOF
{
  "Logging": { "LogLevel": { "Default": "Information", "Microsoft.AspNetCore": "Warning", "Yarp": "Warning" } },
  "Kestrel": { "Endpoints": { "Gateway": { "Url": "https://127.0.0.1:$port",
    "Certificate": { "Path": "$pki/server.crt", "KeyPath": "$pki/server.key" } } } },
  "Gateway": {
    "Admin": { "Url": "http://127.0.0.1:$admin_port" },
    "ClientCertificates": {
      "TrustedCaFiles": [ "$pki/ca.crt" ],
      "Revocation": { $revocation, "FetchCrls": false, "Ocsp": false }
    }
  },
  "ReverseProxy": {
    "Routes": { "all": { "ClusterId": "upstream", "Match": { "Path": "{**catch-all}" } } },
    "Clusters": { "upstream": { "Destinations": { "upstream": { "Address": "http://127.0.0.1:$upstream_port/" } } } }
  }
}
EOF
  (cd "$dir" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production TMPDIR="$dir" \
    "${server_env[@]}" taskset -c "$server_cpu" dotnet "$gateway_dll" "${gateway_args[@]}") >"$dir/gateway.log" 2>&1 &
  server_pid=$!
  server_log="$dir/gateway.log"
}

curl_mtls() {
  curl -s --max-time 5 --cacert "$pki/ca.crt" --cert "$pki/client.crt" --key "$pki/client.key" "https://127.0.0.1:$port/" 2>/dev/null || true
}

start_server() {
  local server="$1" crl="$2"
  require_free_port "$port" "server under test" PORT
  [ "$server" = gateway ] && require_free_port "$admin_port" "gateway admin listener" ADMIN_PORT
  "start_$server" "$crl"
  started+=("$server_pid")
  for _ in $(seq 1 150); do
    kill -0 "$server_pid" 2>/dev/null || { cat "$server_log" >&2; fail "$server exited at start-up"; }
    [ "$(curl_mtls)" = "ok" ] && return 0
    sleep 0.2
  done
  cat "$server_log" >&2
  fail "$server did not answer \"ok\" over mutual TLS on 127.0.0.1:$port within 30 s"
}

stop_server() {
  stop_process "$server_pid"
  forget "$server_pid"
}

# --- loads --------------------------------------------------------------------------------------------------------

# Prints "rate p50_ms p99_ms units failures" for one run; units = requests or connections completed.
run_keepalive() {
  local duration="$1" log="$work/ab.log" percentiles="$work/ab.csv"
  rm -f "$percentiles"
  taskset -c "$client_cpu" ab -q -k -c "$concurrency" -t "$duration" -n 100000000 -E "$pki/client.pem" \
    -e "$percentiles" ${ab_protocol:+-f "$ab_protocol"} "https://127.0.0.1:$port/" >"$log" 2>&1 || true
  # The CSV has the latency of each percentile in ms with decimals (the text report rounds to whole ms).
  awk -F, '$1 == 50 {print "p50", $2} $1 == 99 {print "p99", $2}' "$percentiles" 2>/dev/null >>"$log" || true
  awk '
    /^Complete requests:/ {n=$3}
    /^Failed requests:/ {f+=$3}
    /^Non-2xx responses:/ {f+=$3}
    /^Requests per second:/ {r=$4}
    /^p50 / {p50=$2}
    /^p99 / {p99=$2}
    END { if (n == "") { print "0 - - 0 1" } else { print r, (p50 == "" ? "-" : p50), (p99 == "" ? "-" : p99), n, f+0 } }' "$log"
}

# Several openssl s_time clients in parallel: -new (a full handshake per connection) or -reuse (resumed sessions).
# Each connection sends "GET / HTTP/1.0" and reads the answer. Prints "rate - - connections failures reused".
run_handshakes() {
  local mode="$1" duration="$2" i pids=() started_at ended_at
  started_at="$(date +%s.%N)"
  for i in $(seq 1 "$handshake_clients"); do
    taskset -c "$client_cpu" openssl s_time -connect "127.0.0.1:$port" "-$mode" -time "$duration" \
      -cert "$pki/client.crt" -key "$pki/client.key" -CAfile "$pki/ca.crt" -www / ${tls_option:+"$tls_option"} \
    >"$work/s_time.$i.log" 2>&1 &
    pids+=("$!")
    started+=("$!")
  done
  for i in "${pids[@]}"; do
    wait "$i" || true
    forget "$i"
  done
  ended_at="$(date +%s.%N)"
  # s_time prints "N connections in T real seconds" (T in whole seconds, so the rate uses the wall clock measured
  # here) and, per connection, "*" for a new session or "r" for one the server resumed.
  cat "$work"/s_time.*.log | awk -v elapsed="$(echo "$started_at $ended_at" | awk '{print $2 - $1}')" '
    / connections in [0-9.]+ real seconds/ {n+=$1}
    /^[*r]+$/ {line=$0; reused+=gsub(/r/, "", line)}
    /ERROR|error/ {f++}
    END { printf "%.1f - - %d %d %d\n", n/elapsed, n, f+0, reused+0 }'
  rm -f "$work"/s_time.*.log
}

# One HTTP/1.1 request over a new TLS connection with openssl s_client; extra arguments choose the protocol and the
# session to offer or save. Prints s_client's report and the answer.
one_request() {
  printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' |
    timeout 10 openssl s_client -connect "127.0.0.1:$port" -cert "$pki/client.crt" -key "$pki/client.key" \
      -CAfile "$pki/ca.crt" -ign_eof "$@" 2>/dev/null || true
}

# Resumed sessions the way HTTP clients keep them: each connection offers the session (TLS 1.3 ticket, TLS 1.2 ticket
# or session id) received on the previous one and sends one GET ($handshake_clients clients in parallel). s_time
# -reuse cannot measure this for Kestrel: Kestrel closes the HTTP/1.0 connection s_time uses without a TLS
# close_notify, OpenSSL then marks the session not resumable, and every s_time "reuse" is a full handshake.
# Prints "rate - - connections failures resumed".
run_resumed() {
  local duration="$1" i pids=() started_at ended_at
  started_at="$(date +%s.%N)"
  for i in $(seq 1 "$handshake_clients"); do
    taskset -c "$client_cpu" "$python" "$here/resumed_client.py" 127.0.0.1 "$port" "$pki/ca.crt" "$pki/client.crt" \
      "$pki/client.key" "$duration" ${TLS_VERSION:+"$TLS_VERSION"} >"$work/resumed.$i.log" 2>&1 &
    pids+=("$!")
    started+=("$!")
  done
  for i in "${pids[@]}"; do
    wait "$i" || true
    forget "$i"
  done
  ended_at="$(date +%s.%N)"
  cat "$work"/resumed.*.log | awk -v elapsed="$(echo "$started_at $ended_at" | awk '{print $2 - $1}')" '
    NF == 3 && $1 ~ /^[0-9]+$/ {n+=$1; f+=$2; r+=$3; next} {f++}
    END { printf "%.1f - - %d %d %d\n", n/elapsed, n, f+0, r+0 }'
  rm -f "$work"/resumed.*.log
}

# Memory per idle keep-alive connection: RSS before and while $idle_connections connections that each made one
# request stay open. Prints "KiB-per-connection connections". With PROFILE=openssl-memory, also writes what OpenSSL
# holds for them to the work folder (see report_openssl_memory).
run_idle_connections() {
  local server="$1" name="$2" log="$work/idle.log" before during client openssl_before=""
  local openssl_file="$work/$server/openssl-memory.txt"
  if [ "${PROFILE:-}" = openssl-memory ] && [ -f "$openssl_file" ]; then
    rm -f "$openssl_file.dump" "$openssl_file.tracked"
    touch "$openssl_file.start"
    sleep 0.5
    openssl_before="$(cat "$openssl_file")"
    if ! [[ "$openssl_before" =~ ^[0-9] ]]; then
      echo "  $server: no OpenSSL memory figures ($openssl_before)" >&2
      openssl_before=""
    fi
  fi
  before="$(tree_rss_kib "$server_pid")"
  : >"$log"
  taskset -c "$client_cpu" "$python" "$here/idle_client.py" 127.0.0.1 "$port" "$pki/ca.crt" "$pki/client.crt" \
    "$pki/client.key" "$idle_connections" 30 >"$log" 2>&1 &
  client=$!
  started+=("$client")
  for _ in $(seq 1 1200); do
    grep -q '^ready' "$log" && break
    kill -0 "$client" 2>/dev/null || break
    sleep 0.1
  done
  sleep 1
  during="$(tree_rss_kib "$server_pid")"
  [ -n "$openssl_before" ] && report_openssl_memory "$openssl_file" "$openssl_before" "$work/$name.openssl-memory.txt" "$log" >&2
  stop_process "$client"
  forget "$client"
  awk -v before="$before" -v during="$during" '/^ready/ {n=$2} END {
    if (n > 0) printf "%.1f %d\n", (during - before) / n, n; else print "- 0" }' "$log"
}

# OpenSSL's live bytes and allocations (from tests/load/OpenSslMemory) before and while the idle connections are open,
# per connection, and the source lines of the allocations made since tracking started, largest first, into $3.
report_openssl_memory() {
  local file="$1" before="$2" report="$3" log="$4" during connections
  connections="$(awk '/^ready/ {print $2}' "$log")"
  during="$(cat "$file")"
  touch "$file.dump"
  for _ in $(seq 1 100); do
    [ -s "$file.tracked" ] && break
    sleep 0.1
  done
  {
    echo "$during $before $connections" | awk '{ if ($5 > 0) printf "OpenSSL per idle connection: %d bytes, %d allocations made (%d connections)\n", ($1 - $3) / $5, ($2 - $4) / $5, $5 }'
    echo "live bytes per connection, allocations per connection, OpenSSL source line (allocations made while they were opened):"
    awk -v n="$connections" -F '\t' 'n > 0 { printf "%10.0f %8.1f  %s\n", $1 / n, $2 / n, $3 }' "$file.tracked" 2>/dev/null | head -25
  } >"$report"
  echo "  $(head -1 "$report") -> $report"
  rm -f "$file.start" "$file.dump" "$file.tracked"
}

# Whether the server resumes a session saved from an earlier connection, for one protocol version: yes or no.
resumes() {
  local version="$1" session="$work/check-session.pem"
  rm -f "$session"
  one_request "-tls${version/./_}" -sess_out "$session" >/dev/null
  if [ -s "$session" ] && one_request "-tls${version/./_}" -sess_in "$session" | grep -q '^Reused, '; then
    echo yes
  else
    echo no
  fi
}

# Starts the profiler PROFILE asks for on the server under test, for one run; sets profiler_pid (empty when none).
start_profiler() {
  local server="$1" name="$2"
  profiler_pid=""
  case "$server:${PROFILE:-}" in
    floor:perf | gateway:perf)
      taskset -c "$client_cpu" perf record -q -F 999 --call-graph "${PERF_CALL_GRAPH:-fp}" -p "$server_pid" -o "$work/$name.perf.data" -- sleep "$seconds" \
        >"$work/$name.perf.log" 2>&1 &
      ;;
    floor:counters | gateway:counters)
      taskset -c "$client_cpu" dotnet-counters collect -p "$server_pid" --format csv -o "$work/$name.counters.csv" \
        --counters System.Runtime,Microsoft.AspNetCore.Hosting,Microsoft.AspNetCore.Server.Kestrel,System.Net.Http \
        --duration "00:00:00:$(printf '%02d' "$seconds")" >"$work/$name.counters.log" 2>&1 &
      ;;
    floor:trace | gateway:trace)
      taskset -c "$client_cpu" dotnet-trace collect -p "$server_pid" --profile dotnet-sampled-thread-time \
        --duration "00:00:00:$(printf '%02d' "$seconds")" -o "$work/$name.nettrace" >"$work/$name.trace.log" 2>&1 &
      ;;
    *) return 0 ;;
  esac
  profiler_pid=$!
  started+=("$profiler_pid")
  sleep 1
}

measure() {
  local server="$1" variant="$2" load="$3" round="$4" before after result rate p50 p99 units failures reused cpu_per
  [ "$load" = "${PROFILE_LOAD:-keepalive}" ] && start_profiler "$server" "$server-$variant-$load-$round"
  before="$(tree_cpu_us "$server_pid")"
  case "$load" in
    keepalive) result="$(run_keepalive "$seconds")" ;;
    new) result="$(run_handshakes new "$seconds")" ;;
    reuse) result="$(run_handshakes reuse "$seconds")" ;;
    resumed) result="$(run_resumed "$seconds")" ;;
  esac
  after="$(tree_cpu_us "$server_pid")"
  if [ -n "${profiler_pid:-}" ]; then
    wait "$profiler_pid" || true
    forget "$profiler_pid"
    profiler_pid=""
  fi
  read -r rate p50 p99 units failures reused <<<"$result"
  cpu_per="-"
  [ "${units:-0}" -gt 0 ] && cpu_per=$(((after - before) / units))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$variant" "$load" "$round" "$rate" "$p50" "$p99" \
    "$cpu_per" "$units" "$failures" "${reused:--}" >>"$results"
  printf '  %-22s %-9s round %d: %8s/s  p50 %s ms  p99 %s ms  server CPU %s µs per unit  (%s done, %s failed%s)\n' \
    "$server $variant" "$load" "$round" "$rate" "$p50" "$p99" "$cpu_per" "$units" "$failures" \
    "$(case "$load" in reuse | resumed) echo ", ${reused:-0} resumed" ;; esac)"
}

# --- main ---------------------------------------------------------------------------------------------------------

install_prerequisites
[ "$(nproc --all)" -ge 2 ] || fail "needs 2 CPUs at least (server on CPU $server_cpu, client and upstream on CPU $client_cpu)"
taskset -c "$server_cpu" true 2>/dev/null || fail "cannot pin to CPU $server_cpu (set SERVER_CPU)"
taskset -c "$client_cpu" true 2>/dev/null || fail "cannot pin to CPU $client_cpu (set CLIENT_CPU)"
python=/usr/bin/python3
[ -x "$python" ] || python="$(command -v python3)" || fail "python3 is needed for the resumed-session client"
command -v dotnet >/dev/null || fail "dotnet (SDK 10) is needed to build the gateway and the floor"
require_free_port "$upstream_port" "upstream" UPSTREAM_PORT
require_free_port "$upstream_h2_port" "upstream, HTTP/2" UPSTREAM_H2_PORT
require_free_port "$port" "server under test" PORT

work="$(mktemp -d "${TMPDIR:-/tmp}/mtlsgateway-compare.XXXXXX")"
pki="$work/pki"
results="$work/results.tsv"
: >"$results"

if [ -z "${NO_BUILD:-}" ]; then
  echo "Building the gateway and the floor (Release)..."
  dotnet build -c Release "$root/src/MtlsGateway" -nologo -v q -clp:ErrorsOnly >/dev/null ||
    fail "the gateway does not build: dotnet build -c Release src/MtlsGateway"
  dotnet build -c Release "$here/Floor" -nologo -v q -clp:ErrorsOnly >/dev/null ||
    fail "the floor does not build: dotnet build -c Release tests/load/Floor"
  if [ "${PROFILE:-}" = openssl-memory ]; then
    dotnet build -c Release "$here/OpenSslMemory" -nologo -v q -clp:ErrorsOnly >/dev/null ||
      fail "the OpenSSL memory hook does not build: dotnet build -c Release tests/load/OpenSslMemory"
  fi
fi
gateway_dll="${GATEWAY_DLL:-$root/src/MtlsGateway/bin/Release/net10.0/MtlsGateway.dll}"
floor_dll="$here/Floor/bin/Release/net10.0/MtlsGateway.LoadFloor.dll"
if [ "${PROFILE:-}" = openssl-memory ]; then
  # .NET's OpenSSL allocation hooks must be on before the process starts; the startup hook reads them (each server
  # writes openssl-memory.txt in its own folder, see run_idle_connections).
  server_env+=(DOTNET_OPENSSL_MEMORY_DEBUG=1 "DOTNET_STARTUP_HOOKS=$here/OpenSslMemory/bin/Release/net10.0/MtlsGateway.OpenSslMemory.dll")
fi

echo "Making certificates (ECDSA P-256) and a $crl_entries-entry CRL..."
make_pki "$pki"
start_upstream

# Configurations: server and CRL variant (the floor has no revocation, so it runs once).
configurations=()
for server in $servers; do
  case "$server" in
    nginx | haproxy | gateway)
      configurations+=("$server:0")
      [ "$with_crl" -eq 1 ] && configurations+=("$server:1")
      ;;
    floor) configurations+=("floor:0") ;;
    *) fail "unknown server '$server' (nginx, haproxy, floor, gateway)" ;;
  esac
done

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "Load average before: $load_before. $repeat rounds of ${seconds}s runs; server on CPU $server_cpu, clients and upstream on CPU $client_cpu."
for round in $(seq 1 "$repeat"); do
  for configuration in "${configurations[@]}"; do
    server="${configuration%%:*}"
    crl="${configuration##*:}"
    variant="plain"
    [ "$crl" -eq 1 ] && variant="crl"
    [ "$server" = gateway ] && variant="$([ "$crl" -eq 1 ] && echo require-crl || echo revocation-off)"
    start_server "$server" "$crl"
    idle_rss="$(tree_rss_kib "$server_pid")"
    # Warm-up: session caches and upstream connections for all, tiered compilation for .NET.
    warmup="$native_warmup"
    case "$server" in floor | gateway) warmup="$dotnet_warmup" ;; esac
    run_keepalive "$warmup" >/dev/null
    # The handshake path has code of its own to compile: a third of the warm-up each, or it is measured mid-tiering.
    run_handshakes new "$(((warmup + 2) / 3))" >/dev/null
    run_resumed "$(((warmup + 2) / 3))" >/dev/null
    # Idle CPU after the warm-up (timers, background compilation): what a slow run's per-unit figure also carries.
    idle_cpu="$(tree_cpu_us "$server_pid")"
    sleep 2
    idle_cpu=$((($(tree_cpu_us "$server_pid") - idle_cpu) / 2))
    for load in $loads; do
      measure "$server" "$variant" "$load" "$round"
    done
    printf '%s\t%s\trss\t%s\t%s\t%s\t%s\n' "$server" "$variant" "$round" "$idle_rss" "$(tree_rss_kib "$server_pid")" \
      "$idle_cpu" >>"$results"
    if [ "$idle_connections" -gt 0 ]; then
      printf '%s\t%s\tidle\t%s\t%s\n' "$server" "$variant" "$round" \
        "$(run_idle_connections "$server" "$server-$variant-$round" | tr ' ' '\t')" >>"$results"
    fi
    if [ "$round" -eq 1 ]; then
      printf '%s\t%s\tresumption\t%s\t%s\t%s\n' "$server" "$variant" "$round" "$(resumes 1.2)" "$(resumes 1.3)" >>"$results"
    fi
    stop_server
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

report() {
  local when
  when="$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Measured $when on $(nproc --all) CPUs ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(uname -r);"
  echo "$(nginx -v 2>&1 | sed 's/^nginx version: //'), HAProxy $(haproxy -v 2>/dev/null | awk 'NR==1 {print $3}'), $(openssl version | cut -d' ' -f1-2), .NET $(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ {v=$2} END {print v}');"
  echo "load average before $load_before, after $load_after. Median of $repeat rounds, ${seconds}s per run after a warm-up of ${native_warmup}s (nginx, HAProxy) or ${dotnet_warmup}s (.NET);"
  echo "$concurrency keep-alive connections (ab -k), $handshake_clients parallel handshake clients, $idle_connections idle connections."
  echo
  awk -F'\t' -v ticks="$clock_ticks" -f "$here/compare-report.awk" "$results"
}

report | tee "${out:-/dev/null}"
if [ "$keep" -eq 1 ]; then
  echo "Raw results and logs kept in $work"
fi
