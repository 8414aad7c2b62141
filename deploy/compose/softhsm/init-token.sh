#!/bin/sh
# Initializes the SoftHSM2 token "gateway" and imports the outbound identity (key + certificate, label "outbound").
# The PIN comes from pin.txt next to this script (demo value; a real deployment mounts it as a secret).
set -eu
export DEBIAN_FRONTEND=noninteractive
if ! command -v softhsm2-util >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends softhsm2 opensc openssl >/dev/null
fi
pin="$(cat /scripts/pin.txt)"
if softhsm2-util --show-slots | grep -q "Label:.*gateway"; then echo "token exists"; exit 0; fi
softhsm2-util --init-token --free --label gateway --so-pin "$pin$pin" --pin "$pin"
module=/usr/lib/softhsm/libsofthsm2.so
openssl pkcs8 -topk8 -nocrypt -in /pki/outbound.key -outform DER -out /tmp/outbound.key.der
openssl x509 -in /pki/outbound.crt -outform DER -out /tmp/outbound.crt.der
pkcs11-tool --module "$module" --token-label gateway --login --pin "$pin" --write-object /tmp/outbound.key.der --type privkey --label outbound --id 01
pkcs11-tool --module "$module" --token-label gateway --login --pin "$pin" --write-object /tmp/outbound.crt.der --type cert --label outbound --id 01
rm -f /tmp/outbound.key.der /tmp/outbound.crt.der
# The gateway (uid 1654) opens the token files.
chown -R 1654:1654 /tokens
echo "token gateway ready"
