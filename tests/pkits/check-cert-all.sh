#!/usr/bin/env bash
# Runs every NIST PKITS case (tests/MtlsGateway.Tests/Fixtures/pkits, 249 cases) through the real `check-cert`
# executable, with the case's certificates, CRLs and RFC 5280 6.1.1 policy inputs, revocation information required for
# every certificate of the path, and `--minimum-key-size 1024 --allow-sha1` (the suite signs with DSA-1024 and SHA-1).
#
# A case holds when:  valid   -> exit 0, "accepted: ..."
#                     revoked -> exit 2, "rejected: revoked: ..."
#                     invalid -> exit 2, "rejected: <any reason but revoked>: ..."
# Exit 1 (a usage or configuration error) never holds: what a client sends is judged, never a configuration error.
#
# Prints each mismatch, the figure per PKITS section, and last "N of 249"; exits 1 on any mismatch.
# Usage: tests/pkits/check-cert-all.sh [--no-build] [--configuration Debug|Release] [--only <id prefix, e.g. 4.14.>]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

configuration=Release
build=1
only=
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --configuration | -c) configuration="$2"; shift ;;
    --only) only="$2"; shift ;;
    *) echo "usage: $0 [--no-build] [--configuration Debug|Release] [--only <id prefix>]" >&2; exit 64 ;;
  esac
  shift
done

command -v jq >/dev/null || { echo "jq is required (tests/prerequisites.sh installs it)" >&2; exit 69; }

if [ "$build" -eq 1 ]; then
  dotnet build src/MtlsGateway/MtlsGateway.csproj -c "$configuration" -nologo -v quiet >/dev/null ||
    { echo "build failed: dotnet build src/MtlsGateway/MtlsGateway.csproj -c $configuration" >&2; exit 70; }
fi

executable="src/MtlsGateway/bin/$configuration/net10.0/MtlsGateway"
[ -x "$executable" ] || { echo "no executable at $executable (build it, or drop --no-build)" >&2; exit 66; }

fixtures=tests/MtlsGateway.Tests/Fixtures/pkits
cases="$fixtures/cases.json"
anchor="$fixtures/certs/$(jq -r .trustAnchor "$cases")"
total=$(jq --arg only "$only" '[.cases[] | select(.id | startswith($only))] | length' "$cases")
[ "$total" -gt 0 ] || { echo "no case id starts with '$only'" >&2; exit 64; }

declare -A section_total section_held
held=0
# One line per case: id, expected, end entity, intermediates, CRLs, policies, the three booleans ("|"-separated, as
# IFS would merge the empty fields of a whitespace separator; lists space-separated: PKITS file names hold no spaces).
while IFS='|' read -r id expected end_entity intermediates crls policies explicit mapping any; do
  arguments=(check-cert "$fixtures/certs/$end_entity" --trust "$anchor" --require-revocation-info
    --minimum-key-size 1024 --allow-sha1)
  for file in $intermediates; do arguments+=(--intermediate "$fixtures/certs/$file"); done
  for file in $crls; do arguments+=(--crl "$fixtures/crls/$file"); done
  # The initial policy set {anyPolicy} is the default: no --policy.
  if [[ " $policies " != *" 2.5.29.32.0 "* ]]; then
    for policy in $policies; do arguments+=(--policy "$policy"); done
  fi
  [ "$explicit" = true ] && arguments+=(--require-explicit-policy)
  [ "$mapping" = true ] && arguments+=(--inhibit-policy-mapping)
  [ "$any" = true ] && arguments+=(--inhibit-any-policy)

  output=$("$executable" "${arguments[@]}" 2>&1)
  code=$?
  case "$expected" in
    valid) [ "$code" -eq 0 ] && [[ "$output" == "accepted: "* ]] ;;
    revoked) [ "$code" -eq 2 ] && [[ "$output" == "rejected: revoked: "* ]] ;;
    *) [ "$code" -eq 2 ] && [[ "$output" == "rejected: "* ]] && [[ "$output" != "rejected: revoked: "* ]] ;;
  esac
  ok=$?

  section=$(echo "$id" | cut -d. -f1-2)
  section_total[$section]=$((${section_total[$section]:-0} + 1))
  if [ "$ok" -eq 0 ]; then
    held=$((held + 1))
    section_held[$section]=$((${section_held[$section]:-0} + 1))
  else
    section_held[$section]=${section_held[$section]:-0}
    echo "MISMATCH $id: expected $expected, exit $code: $(echo "$output" | head -n 3)"
  fi
done < <(jq -r --arg only "$only" '.cases[] | select(.id | startswith($only)) | [.id, .expected, .endEntity, (.intermediates | join(" ")), (.crls | join(" ")),
  (.initialPolicySet | join(" ")), .initialExplicitPolicy, .initialPolicyMappingInhibit, .initialAnyPolicyInhibit]
  | map(tostring) | join("|")' "$cases")

for section in $(printf '%s\n' "${!section_total[@]}" | sort -t. -k2,2n); do
  echo "$section: ${section_held[$section]} of ${section_total[$section]}"
done
echo "$held of $total"
[ "$held" -eq "$total" ]
