#!/bin/sh
# What Azure has for topology branch-to-branch, checked against what hybridnet predicts. Run where az is signed in.
# One PASS or FAIL line per check, with what was expected and what was seen; exit 1 on any FAIL.
# It only reads: nothing here changes a resource or prints a secret.
set -u
failures=0
report() {
  if [ "$1" = ok ]; then echo "PASS $2"; else echo "FAIL $2"; failures=$((failures + 1)); fi
}
oneline() { printf '%s' "$1" | tr '\t\n' '  '; }
# has_all <title> <seen> <expected>...: every expected line is among the lines seen
has_all() {
  title=$1; seen=$2; shift 2; missing=""
  for want in "$@"; do
    printf '%s\n' "$seen" | grep -qxF -- "$want" || missing="$missing $want"
  done
  if [ -z "$missing" ]; then report ok "$title (seen: $(oneline "$seen"))"; else report no "$title: missing$missing (seen: $(oneline "$seen"))"; fi
}
equals() {
  if [ "$2" = "$3" ]; then report ok "$1"; else report no "$1: expected $(oneline "$3"), seen $(oneline "${2:-nothing}")"; fi
}
contains() {
  case "$2" in *"$3"*) report ok "$1" ;; *) report no "$1: expected \"$3\", seen $(oneline "${2:-nothing}")" ;; esac
}
# in_prefix <title> <seen> <network> <length>: some line seen is an IPv4 address in network/length
in_prefix() {
  if printf '%s\n' "$2" | awk -v net="$3" -v len="$4" 'function n(ip, o) { if (split(ip, o, ".") != 4) return -1; return ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4] } BEGIN { size = 2 ^ (32 - len); base = int(n(net) / size) } { x = n($1); if (x >= 0 && int(x / size) == base) found = 1 } END { exit found ? 0 : 1 }'; then
    report ok "$1 (seen: $(oneline "$2"))"
  else
    report no "$1: none in $3/$4 (seen: $(oneline "${2:-nothing}"))"
  fi
}

seen=$({ az network vnet-gateway list-learned-routes --resource-group 'rg-b2b-network' --name 'vgw-hub' --query 'value[].network' --output tsv; } 2>&1)
has_all 'VPN gateway vgw-hub has learned 10.60.0.4/32, 10.60.0.0/16, 10.50.0.0/16' "$seen" '10.60.0.4/32' '10.60.0.0/16' '10.50.0.0/16'
seen=$({ az network vnet-gateway list-learned-routes --resource-group 'rg-b2b-network' --name 'ergw-hub' --query 'value[].network' --output tsv; } 2>&1)
has_all 'ExpressRoute gateway ergw-hub has learned 10.50.0.0/16, 10.60.0.0/16' "$seen" '10.50.0.0/16' '10.60.0.0/16'
seen=$({ az network routeserver show --resource-group 'rg-b2b-network' --name 'rs-hub' --query allowBranchToBranchTraffic --output tsv; } 2>&1)
equals 'Route Server rs-hub has branch-to-branch on' "$seen" 'true'
seen=$({ az network vnet-gateway list-bgp-peer-status --resource-group 'rg-b2b-network' --name 'vgw-hub' --query 'length(value[?state=='\''Connected'\'' && neighbor=='\''10.60.0.4'\''])' --output tsv; } 2>&1)
equals 'VPN gateway vgw-hub has 2 BGP sessions with 10.60.0.4 (hub-to-branch-rras) Connected' "$seen" '2'
seen=$({ az network vpn-connection show --resource-group 'rg-b2b-network' --name 'hub-to-branch-rras' --query connectionStatus --output tsv; } 2>&1)
equals 'connection hub-to-branch-rras is Connected' "$seen" 'Connected'

echo "$failures failed"
[ "$failures" -eq 0 ]
