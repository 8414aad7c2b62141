#!/bin/sh
# OCSP responder for the demo CA, answering from the index the CA keeps (so revoked-client is reported revoked).
set -eu
pki="${1:-/pki}"
command -v openssl >/dev/null 2>&1 || apk add --no-cache openssl >/dev/null
exec openssl ocsp -index "$pki/index.txt" -port 2560 -rsigner "$pki/ocsp.crt" -rkey "$pki/ocsp.key" -CA "$pki/ca.crt" -nmin 5 -ignore_err
