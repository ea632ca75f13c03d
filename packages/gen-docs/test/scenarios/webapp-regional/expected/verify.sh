#!/bin/sh
# Reachability checks of topology webapp-regional from one test endpoint (a TCP connection to each peer's RDP or SSH listener); PASS/FAIL per line, exit 1 on any FAIL.
# Usage: sh verify.sh <endpoint>, or sudo sh verify.sh --listen <endpoint> (listen on the ports the others probe there)
set -u
# listen <port>...: accept TCP connections on each port until stopped (Ctrl-C)
listen() {
  exec python3 -c 'import socket, sys, threading
def serve(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(16)
    while True:
        s.accept()[0].close()
for p in sys.argv[1:]:
    threading.Thread(target=serve, args=(int(p),), daemon=True).start()
print("listening on TCP " + ", ".join(sys.argv[1:]) + "; Ctrl-C to stop", flush=True)
threading.Event().wait()' "$@"
}
if [ "${1:-}" = --listen ]; then
  case "${2:-}" in
    'vm-backend') listen 3389 ;;
    *) echo "nothing to listen for on ${2:-}"; exit 2 ;;
  esac
fi
failures=0
# probe <address> <port|icmp>: a TCP connection opens (nc, else bash's /dev/tcp), or a ping is answered
probe() {
  if [ "$2" = icmp ]; then
    ping -c 2 -W 2 "$1" >/dev/null 2>&1
  elif command -v nc >/dev/null 2>&1; then
    nc -z -w 3 "$1" "$2" >/dev/null 2>&1
  else
    # shellcheck disable=SC2016 # bash expands them, from its own arguments
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' probe "$1" "$2" >/dev/null 2>&1
  fi
}
# check <from> <address> <to> <port> <open|closed>: the connection must open, or stay closed
check() {
  if probe "$2" "$4"; then seen=open; verb=reaches; else seen=closed; verb="does not reach"; fi
  if [ "$4" = icmp ]; then what=ICMP; else what="TCP $4"; fi
  if [ "$seen" = "$5" ]; then
    echo "PASS $1 $verb $3 ($2 $what)"
  else
    echo "FAIL $1 $verb $3 ($2 $what), which must be $5"
    failures=$((failures + 1))
  fi
}
case "${1:-}" in
  'vm-backend')
    echo 'nothing to check from vm-backend'
    ;;
  'ec2-branch')
    check 'ec2-branch' '10.30.3.10' 'vm-backend' 22 open
    check 'ec2-branch' '10.30.3.10' 'vm-backend' 3389 closed
    ;;
  *) echo "unknown endpoint ${1:-}; known: vm-backend, ec2-branch"; exit 2 ;;
esac
[ "$failures" -eq 0 ]
