# Turns compare.sh's raw results (tab-separated) into markdown tables of medians with ratios to nginx and the floor.
# Load rows: server variant load round rate p50 p99 cpu_per_unit_us units failures reused
# Memory rows: server variant "rss" round idle_kib after_kib idle_cpu_us_per_s
# Idle connection rows: server variant "idle" round kib_per_connection connections
# Resumption rows: server variant "resumption" round tls12_yes_no tls13_yes_no
# Portable awk (mawk): no asort, no gensub.

function add(key, value) {
  if (value == "-" || value == "") return
  count[key]++
  values[key, count[key]] = value + 0
}

function median(key,    n, i, j, t, a) {
  n = count[key]
  if (n == 0) return ""
  for (i = 1; i <= n; i++) a[i] = values[key, i]
  for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function label(config,    s, v) {
  split(config, s, SUBSEP); v = s[2]
  if (s[1] == "nginx") return v == "crl" ? "nginx, 1,000-entry CRL" : "nginx"
  if (s[1] == "haproxy") return v == "crl" ? "HAProxy, 1,000-entry CRL" : "HAProxy"
  if (s[1] == "floor") return "floor (Kestrel + YARP)"
  if (s[1] == "gateway") return v == "require-crl" ? "gateway, Require + 1,000-entry CRL" : "gateway, Revocation Off"
  return s[1] " " v
}

# The nginx run to compare with: the one with the CRL for configurations that check one.
function nginx_of(config,    s) {
  split(config, s, SUBSEP)
  return (s[2] == "crl" || s[2] == "require-crl") ? ("nginx" SUBSEP "crl") : ("nginx" SUBSEP "plain")
}

function ratio(value, reference) {
  if (value == "" || reference == "" || reference == 0) return "–"
  return sprintf("%.2fx", value / reference)
}

function percent(value) {
  return value == "" ? "–" : sprintf("%.0f %%", value)
}

function fmt(value, scale, digits) {
  if (value == "") return "–"
  return sprintf("%." digits "f", value / scale)
}

{
  config = $1 SUBSEP $2
  if (!(config in seen)) { seen[config] = 1; order[++configs] = config }
  if ($3 == "idle") { add(config SUBSEP "idle_kib", $5); next }
  if ($3 == "resumption") { tls12[config] = $5; tls13[config] = $6; next }
  if ($3 == "rss") {
    add(config SUBSEP "rss_idle", $5); add(config SUBSEP "rss_after", $6); if (NF >= 7) add(config SUBSEP "idle_cpu", $7)
    next
  }
  key = config SUBSEP $3
  loads[$3] = 1
  add(key SUBSEP "rate", $5); add(key SUBSEP "p50", $6); add(key SUBSEP "p99", $7); add(key SUBSEP "cpu", $8)
  failed[key] += $10
  if (($3 == "reuse" || $3 == "resumed") && $9 > 0 && $11 != "-") add(key SUBSEP "reused", 100 * $11 / $9)
}

function cpu(config, load) { return median(config SUBSEP load SUBSEP "cpu") }

END {
  floor = "floor" SUBSEP "plain"

  print "| server | keep-alive: CPU per request | full handshake: CPU per connection | resumed session: CPU per connection | resumed / full | resumes TLS 1.2 / 1.3 | RSS idle → after load | RSS per idle connection | idle CPU |"
  print "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for (i = 1; i <= configs; i++) {
    c = order[i]
    full = cpu(c, "new"); resumed = cpu(c, "resumed")
    printf "| %s | %s µs | %s ms | %s ms | %s | %s / %s | %s → %s MiB | %s KiB | %s ms/s |\n", label(c), fmt(cpu(c, "keepalive"), 1, 0), fmt(full, 1000, 2),
      fmt(resumed, 1000, 2), ratio(resumed, full), (c in tls12 ? tls12[c] : "–"), (c in tls13 ? tls13[c] : "–"),
      fmt(median(c SUBSEP "rss_idle"), 1024, 0), fmt(median(c SUBSEP "rss_after"), 1024, 0),
      fmt(median(c SUBSEP "idle_kib"), 1, 1), fmt(median(c SUBSEP "idle_cpu"), 1000, 1)
  }

  if ("keepalive" in loads) {
    print ""
    print "Keep-alive (ab -k):"
    print ""
    print "| server | requests/s | p50 | p99 | server CPU per request | × nginx | × floor | failed |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= configs; i++) {
      c = order[i]; k = c SUBSEP "keepalive"
      printf "| %s | %s | %s ms | %s ms | %s µs | %s | %s | %d |\n", label(c), fmt(median(k SUBSEP "rate"), 1, 0),
        fmt(median(k SUBSEP "p50"), 1, 2), fmt(median(k SUBSEP "p99"), 1, 2), fmt(cpu(c, "keepalive"), 1, 0),
        ratio(cpu(c, "keepalive"), cpu(nginx_of(c), "keepalive")), ratio(cpu(c, "keepalive"), cpu(floor, "keepalive")), failed[k]
    }
  }

  if (("new" in loads) || ("reuse" in loads) || ("resumed" in loads)) {
    print ""
    print "New connections, one GET each: full handshakes (openssl s_time -new), openssl s_time -reuse, and"
    print "resumed sessions (tests/load/resumed_client.py: each connection offers the session of the previous one, as HTTP clients do):"
    print ""
    print "| server | full handshakes/s | CPU per full handshake | × nginx | × floor | s_time -reuse: resumed | CPU per connection | resumed client: connections/s | resumed | CPU per connection | × nginx | × floor | failed |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= configs; i++) {
      c = order[i]; n = c SUBSEP "new"; r = c SUBSEP "reuse"; s = c SUBSEP "resumed"
      printf "| %s | %s | %s ms | %s | %s | %s | %s ms | %s | %s | %s ms | %s | %s | %d |\n", label(c),
        fmt(median(n SUBSEP "rate"), 1, 0), fmt(cpu(c, "new"), 1000, 2), ratio(cpu(c, "new"), cpu(nginx_of(c), "new")),
        ratio(cpu(c, "new"), cpu(floor, "new")), percent(median(r SUBSEP "reused")), fmt(cpu(c, "reuse"), 1000, 2),
        fmt(median(s SUBSEP "rate"), 1, 0), percent(median(s SUBSEP "reused")), fmt(cpu(c, "resumed"), 1000, 2),
        ratio(cpu(c, "resumed"), cpu(nginx_of(c), "resumed")), ratio(cpu(c, "resumed"), cpu(floor, "resumed")),
        failed[n] + failed[r] + failed[s]
    }
  }
}
