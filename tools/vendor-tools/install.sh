#!/usr/bin/env bash
# Installs the vendors' own checkers into a cache folder, pinned: the Bicep CLI and Pester from
# NuGet (vendor-tools.csproj), PowerShell as a .NET tool. Idempotent and silent when everything is
# already there. Prints nothing else on success; the tests find the tools through
# tools/test-support/vendor-tools.ts, which reads the same folder.
#
#   tools/vendor-tools/install.sh            # install into .cache/vendor-tools (or $HYBRIDNET_TOOLS_CACHE)
#
# Without the .NET SDK it says so in one line and exits 0, so the suites that need the tools skip;
# under CI (CI=true) that is an error, because CI must run them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${HYBRIDNET_TOOLS_CACHE:-$root/.cache/vendor-tools}"

BICEP_VERSION=0.49.2
PESTER_VERSION=6.2.0
PWSH_VERSION=7.6.9

bicep="$cache/nuget/azure.bicep.commandline.linux-x64/$BICEP_VERSION/tools/bicep"
pester="$cache/nuget/pester/$PESTER_VERSION/tools/Pester.psd1"
pwsh="$cache/pwsh-$PWSH_VERSION/pwsh"

if [ -x "$bicep" ] && [ -f "$pester" ] && [ -x "$pwsh" ]; then exit 0; fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "vendor tools not installed: no .NET SDK (dotnet) on PATH; the Bicep CLI, PowerShell and Pester suites will skip"
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi

mkdir -p "$cache"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log="$cache/install.log"
: >"$log"
fail() { echo "vendor tools: $1 failed (see $log)"; tail -n 20 "$log" >&2; exit 1; }

if [ ! -x "$bicep" ] || [ ! -f "$pester" ]; then
  echo "installing Bicep CLI $BICEP_VERSION and Pester $PESTER_VERSION from NuGet into $cache"
  # A scratch copy of the project, so that restore's obj/ folder stays out of the source tree.
  work="$cache/restore"
  mkdir -p "$work"
  cp "$here/vendor-tools.csproj" "$work/"
  dotnet restore "$work/vendor-tools.csproj" --packages "$cache/nuget" >>"$log" 2>&1 || fail "dotnet restore"
  chmod +x "$bicep"
fi

if [ ! -x "$pwsh" ]; then
  echo "installing PowerShell $PWSH_VERSION (.NET tool) into $cache"
  dotnet tool install --tool-path "$cache/pwsh-$PWSH_VERSION" PowerShell --version "$PWSH_VERSION" >>"$log" 2>&1 || fail "dotnet tool install PowerShell"
fi

[ -x "$bicep" ] && [ -f "$pester" ] && [ -x "$pwsh" ] || fail "install"
