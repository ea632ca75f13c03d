#!/bin/sh
# Reachability checks of topology branch-to-branch from one test endpoint; PASS/FAIL per line, exit 1 on any FAIL.
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
  'vm-spoke-app')
    check 'vm-spoke-app' '10.60.1.10' 'vm-branch-rras'
    ;;
  'vm-branch-rras')
    check 'vm-branch-rras' '10.101.1.10' 'vm-spoke-app'
    ;;
  *) echo "unknown endpoint ${1:-}; known: vm-spoke-app, vm-branch-rras"; exit 2 ;;
esac
[ "$failures" -eq 0 ]
