#!/bin/sh
# What Azure has for topology webapp-hybrid, checked against what hybridnet predicts. Run where az is signed in.
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

seen=$({ az network vnet-gateway list-learned-routes --resource-group 'rg-webapp-hybrid-network' --name 'vgw-webapp' --query 'value[].network' --output tsv; } 2>&1)
has_all 'VPN gateway vgw-webapp has learned 10.20.0.0/16, 192.168.0.0/16' "$seen" '10.20.0.0/16' '192.168.0.0/16'
seen=$({ az network vnet-gateway list-learned-routes --resource-group 'rg-webapp-hybrid-network' --name 'vgw-onprem-sim' --query 'value[].network' --output tsv; } 2>&1)
has_all 'VPN gateway vgw-onprem-sim has learned 10.10.0.0/16, 172.16.201.0/24' "$seen" '10.10.0.0/16' '172.16.201.0/24'
seen=$({ az network vpn-connection show --resource-group 'rg-webapp-hybrid-network' --name 'webapp-to-aws' --query connectionStatus --output tsv; } 2>&1)
equals 'connection webapp-to-aws is Connected' "$seen" 'Connected'
seen=$({ az network vpn-connection show --resource-group 'rg-webapp-hybrid-network' --name 'webapp-to-onprem-azure' --query connectionStatus --output tsv; } 2>&1)
equals 'connection webapp-to-onprem-azure is Connected' "$seen" 'Connected'
seen=$({ az network watcher show-next-hop --resource-group 'rg-webapp-hybrid-test' --vm 'vm-backend' --source-ip 10.10.2.10 --dest-ip 203.0.113.1 --query '[nextHopType, nextHopIpAddress]' --output tsv; } 2>&1)
equals 'from vm-backend, Azure'\''s next hop toward 203.0.113.0/24 (203.0.113.1) is firewall fw-webapp (10.10.1.4)' "$seen" 'VirtualAppliance	10.10.1.4'
seen=$({ kudu=$(az webapp show --resource-group 'rg-webapp-hybrid-app' --name 'app-webapp-hybrid' --query 'hostNameSslStates[?hostType=='\''Repository'\''].name | [0]' --output tsv) && az rest --method post --resource 'https://management.azure.com/' --url "https://$kudu/api/command" --body '{"command":"tcpping 10.20.1.20:3389","dir":"site"}' --query Output --output tsv; } 2>&1)
contains 'web app app-webapp-hybrid opens TCP 3389 on ec2-onprem-aws (10.20.1.20) (intent app-to-sites)' "$seen" 'Connected to'
seen=$({ kudu=$(az webapp show --resource-group 'rg-webapp-hybrid-app' --name 'app-webapp-hybrid' --query 'hostNameSslStates[?hostType=='\''Repository'\''].name | [0]' --output tsv) && az rest --method post --resource 'https://management.azure.com/' --url "https://$kudu/api/command" --body '{"command":"tcpping 192.168.1.10:22","dir":"site"}' --query Output --output tsv; } 2>&1)
contains 'web app app-webapp-hybrid opens TCP 22 on vm-onprem-azure (192.168.1.10) (intent app-to-sites)' "$seen" 'Connected to'
seen=$({ az network vnet-gateway vpn-client show-health --resource-group 'rg-webapp-hybrid-network' --name 'vgw-webapp' --query 'value[].privateIpAddress' --output tsv; } 2>&1)
in_prefix 'web app app-webapp-hybrid is a point-to-site client of vgw-webapp with an address in 172.16.201.0/24' "$seen" 172.16.201.0 24

echo "$failures failed"
[ "$failures" -eq 0 ]
