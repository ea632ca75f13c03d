#!/bin/sh
# Reachability checks of topology webapp-hybrid from one test endpoint (a TCP connection to each peer's RDP or SSH listener); PASS/FAIL per line, exit 1 on any FAIL.
# Usage: sh verify.sh <endpoint>
set -u
failures=0
# probe <address> <port>: a TCP connection opens (nc, else bash's /dev/tcp)
probe() {
  if command -v nc >/dev/null 2>&1; then
    nc -z -w 3 "$1" "$2" >/dev/null 2>&1
  else
    # shellcheck disable=SC2016 # bash expands them, from its own arguments
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' probe "$1" "$2" >/dev/null 2>&1
  fi
}
check() {
  if probe "$2" "$4"; then
    echo "PASS $1 reaches $3 ($2 TCP $4)"
  else
    echo "FAIL $1 does not reach $3 ($2 TCP $4)"
    failures=$((failures + 1))
  fi
}
case "${1:-}" in
  'vm-backend')
    check 'vm-backend' '192.168.1.10' 'vm-onprem-azure' 22
    check 'vm-backend' '10.20.1.20' 'ec2-onprem-aws' 3389
    ;;
  'vm-onprem-azure')
    check 'vm-onprem-azure' '10.10.2.10' 'vm-backend' 22
    ;;
  'ec2-onprem-aws')
    check 'ec2-onprem-aws' '10.10.2.10' 'vm-backend' 22
    ;;
  *) echo "unknown endpoint ${1:-}; known: vm-backend, vm-onprem-azure, ec2-onprem-aws"; exit 2 ;;
esac
[ "$failures" -eq 0 ]
