<#
.SYNOPSIS
    Applies the forwarding-firewall objects and rules of fw-webapp through the CloudGen Firewall REST API.
.DESCRIPTION
    In order, creates what is missing and updates what differs, inside one transaction where the
    firewall offers it. It signs in with an API token ($env:BARRACUDA_API_TOKEN, sent as
    X-API-Token), or else with the admin's user and password ($env:BARRACUDA_USER, default root,
    and $env:BARRACUDA_PASSWORD: basic authentication). Both come from the environment only and are
    never printed; no redirect is followed, so nothing is ever sent to another host.
    $env:BARRACUDA_INSECURE = '1' accepts the firewall's self-signed certificate.
    Exit codes: 0 applied, 1 the firewall refused, 2 usage.
.EXAMPLE
    $env:BARRACUDA_PASSWORD = '...'; .\apply.ps1 -FirewallUrl https://10.10.1.4:8443
#>
#Requires -Version 5.1
[CmdletBinding()]
param(
    # Base URL of the firewall's REST API (default: $env:BARRACUDA_URL, as apply.sh reads it).
    [Parameter(Mandatory = $false)]
    [string] $FirewallUrl = $env:BARRACUDA_URL,
    # Print the requests without sending any.
    [switch] $DryRun
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$base = "$FirewallUrl".TrimEnd('/')

# Says why on standard error (never the token) and stops with the given exit code.
function Stop-Apply {
    param([string] $Message, [int] $Code)
    [Console]::Error.WriteLine($Message)
    exit $Code
}

if ([string]::IsNullOrEmpty($base)) {
    Stop-Apply 'error: give -FirewallUrl or set BARRACUDA_URL, for example https://10.10.1.4:8443' 2
}
if (-not $DryRun -and [string]::IsNullOrEmpty($env:BARRACUDA_API_TOKEN) -and [string]::IsNullOrEmpty($env:BARRACUDA_PASSWORD)) {
    Stop-Apply "error: set BARRACUDA_PASSWORD to the admin's password (user root, or BARRACUDA_USER), or BARRACUDA_API_TOKEN to an API token with REST write access" 2
}
# The credential as a request header: the token, or basic authentication with the admin's password.
if (-not [string]::IsNullOrEmpty($env:BARRACUDA_API_TOKEN)) {
    $credential = @{ 'X-API-Token' = $env:BARRACUDA_API_TOKEN }
} elseif (-not $DryRun) {
    $user = if ($env:BARRACUDA_USER) { $env:BARRACUDA_USER } else { 'root' }
    $credential = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($user + ':' + $env:BARRACUDA_PASSWORD)) }
}
if ($env:BARRACUDA_INSECURE) {
    [System.Net.ServicePointManager]::ServerCertificateValidationCallback = { $true }
}
[System.Net.ServicePointManager]::SecurityProtocol = [System.Net.SecurityProtocolType]::Tls12
$script:session = ''
$counts = @{ created = 0; updated = 0; unchanged = 0 }

function Invoke-Firewall {
    param([string] $Method, [string] $Path, [string] $Payload)
    $uri = $base + $Path
    if ($script:session) {
        $uri = $uri + '?token=' + $script:session
    }
    # MaximumRedirection 0: a redirect is an answer, never followed (the headers would go with it).
    $request = @{ UseBasicParsing = $true; Method = $Method; Uri = $uri; Headers = $credential; MaximumRedirection = 0 }
    if ($Payload) {
        $request.ContentType = 'application/json'
        $request.Body = [System.IO.File]::ReadAllText($Payload)
    }
    # PowerShell 7 ignores ServicePointManager; it takes the self-signed certificate per request.
    if ($env:BARRACUDA_INSECURE -and $PSVersionTable.PSVersion.Major -ge 6) {
        $request.SkipCertificateCheck = $true
    }
    try {
        $response = Invoke-WebRequest @request
        return @{ Status = [int] $response.StatusCode; Body = [string] $response.Content }
    } catch {
        # Windows PowerShell throws a WebException, PowerShell 7 an HttpResponseException: both
        # carry the answer's status in Exception.Response.StatusCode, and neither when nothing answered.
        if (-not ($_.Exception.PSObject.Properties['Response'] -and $_.Exception.Response)) {
            Stop-Apply "error: no answer from $base" 1
        }
        $status = [int] $_.Exception.Response.StatusCode
        if ($status -eq 401 -or $status -eq 403) {
            Stop-Apply "error: the firewall rejected the credentials ($status on $Method $Path)" 1
        }
        if ($status -ge 300 -and $status -lt 400) {
            Stop-Apply "error: the firewall answered $Method $Path with a redirect ($status); nothing is sent elsewhere" 1
        }
        if ($status -eq 409) {
            Stop-Apply "error: the firewall refused $Method $Path with 409 Conflict; a Control Center-managed or locked configuration cannot be changed here" 1
        }
        return @{ Status = $status; Body = '' }
    }
}

function Set-FirewallItem {
    param([string] $Collection, [string] $Name, [string] $File, [string] $Marker)
    $path = '/rest/config/v1/forwarding-firewall/' + $Collection
    $payload = Join-Path $PSScriptRoot $File
    if ($DryRun) {
        Write-Output "GET $path/$Name, then PUT $path/$Name if it exists or POST $path with:"
        Write-Output ([System.IO.File]::ReadAllText($payload))
        return
    }
    $current = Invoke-Firewall -Method 'GET' -Path "$path/$Name"
    if ($current.Status -eq 200) {
        if ($current.Body.Contains($Marker)) {
            $counts.unchanged++
            Write-Output "unchanged $Collection $Name"
            return
        }
        $result = Invoke-Firewall -Method 'PUT' -Path "$path/$Name" -Payload $payload
        if ($result.Status -notin 200, 201, 204) {
            Stop-Apply "error: PUT $path/$Name answered $($result.Status)" 1
        }
        $counts.updated++
        Write-Output "updated $Collection $Name"
    } elseif ($current.Status -eq 404) {
        $result = Invoke-Firewall -Method 'POST' -Path $path -Payload $payload
        if ($result.Status -notin 200, 201, 204) {
            Stop-Apply "error: POST $path answered $($result.Status)" 1
        }
        $counts.created++
        Write-Output "created $Collection $Name"
    } else {
        Stop-Apply "error: GET $path/$Name answered $($current.Status)" 1
    }
}

if ($DryRun) {
    Write-Output 'POST /rest/config/v1/begin'
} else {
    $begin = Invoke-Firewall -Method 'POST' -Path '/rest/config/v1/begin'
    if ($begin.Status -eq 200 -or $begin.Status -eq 201) {
        $script:session = (ConvertFrom-Json $begin.Body).token
    } elseif ($begin.Status -ne 404) {
        Stop-Apply "error: POST /rest/config/v1/begin answered $($begin.Status)" 1
    }
}

Set-FirewallItem -Collection 'objects/networks' -Name 'AZURE-NETWORKS' -File 'payloads/01-network-AZURE-NETWORKS.json' -Marker 'hybridnet:58772eb0c6c73ec6'
Set-FirewallItem -Collection 'objects/networks' -Name 'ONPREM-NETWORKS' -File 'payloads/02-network-ONPREM-NETWORKS.json' -Marker 'hybridnet:ca827dc0985764ac'
Set-FirewallItem -Collection 'objects/networks' -Name 'EXTERNAL-API' -File 'payloads/03-network-EXTERNAL-API.json' -Marker 'hybridnet:408422d99c9d502c'
Set-FirewallItem -Collection 'rules' -Name 'AZURE-2-EXTERNAL-API' -File 'payloads/04-rule-AZURE-2-EXTERNAL-API.json' -Marker 'hybridnet:8c5df0571abaaf82'

if ($DryRun) {
    Write-Output 'POST /rest/config/v1/commit'
    exit 0
}
if ($script:session) {
    $commit = Invoke-Firewall -Method 'POST' -Path '/rest/config/v1/commit'
    if ($commit.Status -notin 200, 201, 204) {
        Stop-Apply "error: POST /rest/config/v1/commit answered $($commit.Status)" 1
    }
}
Write-Output "activated: $($counts.created) created, $($counts.updated) updated, $($counts.unchanged) unchanged"
