#!/bin/sh
# Debian packages the PKCS#11 tests need: SoftHSM2 (the test token), OpenSC (pkcs11-tool) and libp11's OpenSSL
# engine (libengine-pkcs11-openssl), which TLS with a token key goes through. Idempotent; CI runs it before the tests.
set -eu
missing=""
for package in softhsm2 opensc libengine-pkcs11-openssl; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
fi
