#!/bin/sh
# Demo PKI for docker-compose.yml: a root CA, the gateway's server certificate, clients (good, revoked, stranger),
# the upstream's server certificate, the gateway's outbound client identity (imported into SoftHSM2 later),
# an OCSP signer, the index for `openssl ocsp`, and a CRL served over HTTP by the crl service.
# Idempotent: an existing CA is kept and only its CRL re-issued. The CRL and CA certificate are copied to the public
# folder (second argument) that the crl service serves; nothing else is published. Demo keys only.
set -eu
out="${1:-/pki}"
public="${2:-}"
command -v openssl >/dev/null 2>&1 || apk add --no-cache openssl >/dev/null
mkdir -p "$out"
cd "$out"
publish() {
  openssl ca -batch -config ca.cnf -gencrl -out ca.crl.pem
  openssl crl -in ca.crl.pem -outform DER -out ca.crl
  if [ -n "$public" ]; then mkdir -p "$public" && cp ca.crl ca.crt "$public/" && chmod a+r "$public"/*; fi
}
if [ -f ca.crt ]; then publish; echo "demo PKI exists in $out; CRL re-issued"; exit 0; fi

cat > ca.cnf <<CNF
[ ca ]
default_ca = demo
[ demo ]
dir = $out
database = $out/index.txt
new_certs_dir = $out/issued
certificate = $out/ca.crt
private_key = $out/ca.key
serial = $out/serial
crlnumber = $out/crlnumber
default_md = sha256
default_days = 365
default_crl_days = 2
policy = any
copy_extensions = copy
[ any ]
commonName = supplied
[ client ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
crlDistributionPoints = URI:http://crl/ca.crl
authorityInfoAccess = OCSP;URI:http://ocsp:2560
[ server ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
[ ocsp ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, OCSPSigning
CNF
mkdir -p issued
: > index.txt
echo 1000 > serial
echo 1000 > crlnumber

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 3650 \
  -subj "/CN=MtlsGateway Demo Root CA" -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign"

issue() { # name subject extensions [san]
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" ${4:+-addext "subjectAltName=$4"}
  openssl ca -batch -config ca.cnf -extensions "$3" -in "$1.csr" -out "$1.crt" -notext
  rm "$1.csr"
}
issue server "/CN=gateway" server "DNS:gateway,DNS:localhost,IP:127.0.0.1"
issue upstream "/CN=upstream" server "DNS:upstream"
issue client "/CN=demo-client/O=Demo Partner" client
issue revoked "/CN=revoked-client/O=Demo Partner" client
issue outbound "/CN=mtlsgateway-outbound" client
issue ocsp "/CN=MtlsGateway Demo OCSP Responder" ocsp

openssl ca -batch -config ca.cnf -revoke revoked.crt -crl_reason keyCompromise

# A client from a CA the gateway does not trust: refused with reason "untrusted".
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout stranger.key -out stranger.crt -days 365 \
  -subj "/CN=stranger" -addext "extendedKeyUsage=clientAuth"

mkdir -p trust && cp ca.crt trust/
# The gateway runs as uid 1654 and reads these; demo only (a real deployment mounts secrets with tight modes).
chmod -R a+rX "$out"
publish
echo "demo PKI written to $out"
