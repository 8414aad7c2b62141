#!/usr/bin/env bash
# Installs the system packages the tests use as real parts: openssl (OCSP responder, TLS peer), jq (the PKITS run
# through check-cert, tests/pkits/check-cert-all.sh),
# SoftHSM2 + OpenSC + OpenSSL's pkcs11 engine (smart-card stand-in), prometheus (for promtool: the deployment files'
# checks; 19 MB download, only its promtool binary is used, the server is never started), curl and nghttp (independent
# HTTP/1.1 and HTTP/2 clients: raw request targets, forged headers, the frames a refused client receives). Idempotent;
# needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(openssl jq softhsm2 opensc libengine-pkcs11-openssl prometheus curl nghttp2-client)
missing=()
for package in "${packages[@]}"; do
  # "install ok installed" only: dpkg -s also succeeds for a removed package whose configuration files remain.
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -qx 'install ok installed' || missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
