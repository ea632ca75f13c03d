#!/bin/sh
# Reachability checks of topology webapp-regional from one test endpoint; PASS/FAIL per line, exit 1 on any FAIL.
# Usage: sh verify.sh <endpoint>
set -u
failures=0
check() {
  if ping -c 2 -W 2 "$2" >/dev/null 2>&1; then
    echo "PASS $1 reaches $3 ($2)"
  else
    echo "FAIL $1 does not reach $3 ($2)"
    failures=$((failures + 1))
  fi
}
case "${1:-}" in
  'vm-backend')
    check 'vm-backend' '10.40.1.20' 'ec2-branch'
    ;;
  'ec2-branch')
    check 'ec2-branch' '10.30.3.10' 'vm-backend'
    ;;
  *) echo "unknown endpoint ${1:-}; known: vm-backend, ec2-branch"; exit 2 ;;
esac
[ "$failures" -eq 0 ]
