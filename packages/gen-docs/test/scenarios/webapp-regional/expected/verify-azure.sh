#!/bin/sh
# What Azure has for topology webapp-regional, checked against what hybridnet predicts. Run where az is signed in.
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

seen=$({ az network vnet-gateway list-learned-routes --resource-group 'rg-webapp-regional-network' --name 'vgw-webapp-regional' --query 'value[].network' --output tsv; } 2>&1)
has_all 'VPN gateway vgw-webapp-regional has learned 10.40.0.0/16' "$seen" '10.40.0.0/16'
seen=$({ az network vpn-connection show --resource-group 'rg-webapp-regional-network' --name 'webapp-to-branch' --query connectionStatus --output tsv; } 2>&1)
equals 'connection webapp-to-branch is Connected' "$seen" 'Connected'
seen=$({ az network watcher show-next-hop --resource-group 'rg-webapp-regional-test' --vm 'vm-backend' --source-ip 10.30.3.10 --dest-ip 203.0.113.1 --query '[nextHopType, nextHopIpAddress]' --output tsv; } 2>&1)
equals 'from vm-backend, Azure'\''s next hop toward 203.0.113.0/24 (203.0.113.1) is firewall fw-webapp-regional (10.30.1.4)' "$seen" 'VirtualAppliance	10.30.1.4'
seen=$({ kudu=$(az webapp show --resource-group 'rg-webapp-regional-app' --name 'app-webapp-regional' --query 'hostNameSslStates[?hostType=='\''Repository'\''].name | [0]' --output tsv) && az rest --method post --resource 'https://management.azure.com/' --url "https://$kudu/api/command" --body '{"command":"tcpping 10.40.1.20:3389","dir":"site"}' --query Output --output tsv; } 2>&1)
contains 'web app app-webapp-regional opens TCP 3389 on ec2-branch (10.40.1.20) (intent app-to-branch)' "$seen" 'Connected to'

echo "$failures failed"
[ "$failures" -eq 0 ]
