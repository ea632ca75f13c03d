#!/bin/sh
# Applies the forwarding-firewall objects and rules of fw-webapp through the CloudGen
# Firewall REST API (v8+), in order, creating what is missing and updating what differs.
#
#   BARRACUDA_URL=https://10.10.1.4:8443 BARRACUDA_PASSWORD=... sh apply.sh [--dry-run]
#
# It signs in with an API token (BARRACUDA_API_TOKEN, sent as X-API-Token), or else with the
# admin's user and password (BARRACUDA_USER, default root, and BARRACUDA_PASSWORD: basic
# authentication, which the REST API also accepts). Both come from the environment only and never
# reach a file, a command line (curl takes them, and the URL with the session token, as a config
# on standard input, so `ps` shows none of them) or the output; answers stay in memory, so nothing
# is left behind by Ctrl-C, a hang-up, a kill or a timeout. curl follows no redirect, so nothing
# is ever sent to another host.
# BARRACUDA_INSECURE=1 accepts the firewall's self-signed certificate. --dry-run prints the
# requests without sending any. Exit codes: 0 applied, 1 the firewall refused, 2 usage.
set -eu

dry_run=0
case "${1:-}" in
  --dry-run) dry_run=1 ;;
  '') ;;
  *) echo "usage: $0 [--dry-run]" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
url=${BARRACUDA_URL:-}
if [ -z "$url" ]; then
  echo "error: set BARRACUDA_URL, for example https://10.10.1.4:8443" >&2
  exit 2
fi
url=${url%/}
if [ "$dry_run" -eq 0 ] && [ -z "${BARRACUDA_API_TOKEN:-}" ] && [ -z "${BARRACUDA_PASSWORD:-}" ]; then
  echo "error: set BARRACUDA_PASSWORD to the admin's password (user root, or BARRACUDA_USER), or BARRACUDA_API_TOKEN to an API token with REST write access" >&2
  exit 2
fi

insecure=''
if [ -n "${BARRACUDA_INSECURE:-}" ]; then insecure='-k'; fi
session=''
created=0
updated=0
unchanged=0
nl='
'

# A value as a quoted string of curl's config syntax (backslash and double quote escaped).
conf_quote() { printf '%s' "$1" | sed 's/[\\"]/\\&/g'; }

# call METHOD PATH [PAYLOAD]: sets $status and $body (the answer, in memory).
call() {
  target="$url$2"
  if [ -n "$session" ]; then target="$target?token=$session"; fi
  if [ -n "${BARRACUDA_API_TOKEN:-}" ]; then
    credential="header = \"X-API-Token: $(conf_quote "$BARRACUDA_API_TOKEN")\""
  else
    credential="user = \"$(conf_quote "${BARRACUDA_USER:-root}:$BARRACUDA_PASSWORD")\""
  fi
  config="url = \"$(conf_quote "$target")\"${nl}${credential}${nl}header = \"Content-Type: application/json\""
  if [ -n "${3:-}" ]; then
    answer=$(printf '%s\n' "$config" | curl -sS $insecure -w "${nl}%{http_code}" -X "$1" --data-binary "@$3" -K -) || answer="${nl}000"
  else
    answer=$(printf '%s\n' "$config" | curl -sS $insecure -w "${nl}%{http_code}" -X "$1" -K -) || answer="${nl}000"
  fi
  status=${answer##*"$nl"}
  body=${answer%"$nl"*}
  case "$status" in
    000) echo "error: no answer from $url" >&2; exit 1 ;;
    401|403) echo "error: the firewall rejected the credentials ($status on $1 $2)" >&2; exit 1 ;;
    3??) echo "error: the firewall answered $1 $2 with a redirect ($status); nothing is sent elsewhere" >&2; exit 1 ;;
    409) echo "error: the firewall refused $1 $2 with 409 Conflict; a Control Center-managed or locked configuration cannot be changed here: $(printf '%.300s' "$body")" >&2; exit 1 ;;
  esac
}

# apply COLLECTION NAME PAYLOAD MARKER
apply() {
  path="/rest/config/v1/forwarding-firewall/$1"
  if [ "$dry_run" -eq 1 ]; then
    echo "GET $path/$2, then PUT $path/$2 if it exists or POST $path with:"
    cat "$here/$3"
    return
  fi
  call GET "$path/$2"
  case "$status" in
    200)
      case "$body" in *"$4"*) unchanged=$((unchanged + 1)); echo "unchanged $1 $2"; return ;; esac
      call PUT "$path/$2" "$here/$3"
      case "$status" in 200|201|204) updated=$((updated + 1)); echo "updated $1 $2" ;; *) echo "error: PUT $path/$2 answered $status: $(printf '%.300s' "$body")" >&2; exit 1 ;; esac
      ;;
    404)
      call POST "$path" "$here/$3"
      case "$status" in 200|201|204) created=$((created + 1)); echo "created $1 $2" ;; *) echo "error: POST $path answered $status: $(printf '%.300s' "$body")" >&2; exit 1 ;; esac
      ;;
    *) echo "error: GET $path/$2 answered $status: $(printf '%.300s' "$body")" >&2; exit 1 ;;
  esac
}

# One transaction where the firewall offers it (begin, changes, commit activates them);
# older firmware applies each change as it is made.
if [ "$dry_run" -eq 1 ]; then
  echo "POST /rest/config/v1/begin"
else
  call POST /rest/config/v1/begin
  case "$status" in
    200|201) session=$(printf '%s\n' "$body" | sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p') ;;
    404) session='' ;;
    *) echo "error: POST /rest/config/v1/begin answered $status" >&2; exit 1 ;;
  esac
fi

apply 'objects/networks' 'AZURE-NETWORKS' 'payloads/01-network-AZURE-NETWORKS.json' 'hybridnet:58772eb0c6c73ec6'
apply 'objects/networks' 'ONPREM-NETWORKS' 'payloads/02-network-ONPREM-NETWORKS.json' 'hybridnet:ca827dc0985764ac'
apply 'objects/networks' 'EXTERNAL-API' 'payloads/03-network-EXTERNAL-API.json' 'hybridnet:408422d99c9d502c'
apply 'rules' 'AZURE-2-EXTERNAL-API' 'payloads/04-rule-AZURE-2-EXTERNAL-API.json' 'hybridnet:8c5df0571abaaf82'

if [ "$dry_run" -eq 1 ]; then
  echo "POST /rest/config/v1/commit"
  exit 0
fi
if [ -n "$session" ]; then
  call POST /rest/config/v1/commit
  case "$status" in 200|201|204) ;; *) echo "error: POST /rest/config/v1/commit answered $status: $(printf '%.300s' "$body")" >&2; exit 1 ;; esac
fi
echo "activated: $created created, $updated updated, $unchanged unchanged"
