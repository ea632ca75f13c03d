<#
.SYNOPSIS
    Configures Windows Server RRAS at site onprem-aws as its VPN device toward Azure.
.DESCRIPTION
    Branch simulated in AWS; Windows Server 2022 with RRAS terminates the tunnel.
    Installs Remote Access if missing, creates one IKEv2 site-to-site interface per Azure gateway
    instance, connects them and checks the result. Run it elevated
    on the RRAS server (10.20.1.10). Safe to run again: what exists is updated, not duplicated.
    Exit codes: 0 all checks passed, 1 an error or a failed check, 3010 restart Windows and run again.
#>
#Requires -Version 5.1
#Requires -RunAsAdministrator
[CmdletBinding()]
param(
    # Pre-shared key of connection webapp-to-aws; read from the AWS Secrets Manager secret hybridnet/webapp-hybrid/aws-psk when omitted.
    [Parameter(Mandatory = $false)]
    [SecureString] $WebappToAwsSharedKey,
    # Public IP of instance 0 of Azure VPN gateway vgw-webapp (an output of the Azure deployment).
    [Parameter(Mandatory = $true)]
    [ipaddress] $VgwWebappInstance0PublicIp,
    # How long the verification waits for tunnels, BGP sessions and routes.
    [Parameter(Mandatory = $false)]
    [int] $WaitSeconds = 300
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Read-SharedKey {
    param([SecureString] $Given, [string] $Connection, [scriptblock] $FromSource)
    if ($Given) {
        $bstr = [Runtime.InteropServices.Marshal]::SecureStringToBSTR($Given)
        try {
            return [Runtime.InteropServices.Marshal]::PtrToStringBSTR($bstr)
        } finally {
            [Runtime.InteropServices.Marshal]::ZeroFreeBSTR($bstr)
        }
    }
    $value = & $FromSource
    if ([string]::IsNullOrEmpty($value)) {
        throw "No pre-shared key for connection '$Connection': pass it as a parameter or provide it where the topology says."
    }
    return $value
}

try {
    Write-Output '== Remote Access'
    $missing = @(Get-WindowsFeature -Name @('RemoteAccess', 'Routing', 'RSAT-RemoteAccess-PowerShell') | Where-Object { -not $_.Installed })
    if ($missing.Count -gt 0) {
        Write-Output "Installing $($missing.Name -join ', ')"
        $installed = Install-WindowsFeature -Name $missing.Name -IncludeManagementTools
        if ($installed.RestartNeeded -eq 'Yes') {
            Write-Warning 'Windows must restart to finish installing Remote Access. Restart, then run this script again.'
            exit 3010
        }
    }
    Import-Module RemoteAccess
    if ((Get-RemoteAccess).VpnS2SStatus -ne 'Installed') {
        Install-RemoteAccess -VpnType VpnS2S
    }
    Set-VpnServerIPsecConfiguration -EncryptionType MaximumEncryption

    Write-Output '== Pre-shared keys'
    $sharedKey = @{}
    # webapp-to-aws: AWS Secrets Manager secret hybridnet/webapp-hybrid/aws-psk
    $sharedKey['webapp-to-aws'] = Read-SharedKey -Given $WebappToAwsSharedKey -Connection 'webapp-to-aws' -FromSource { (Get-SECSecretValue -SecretId 'hybridnet/webapp-hybrid/aws-psk' -Region 'eu-west-1').SecretString }

    # Tunnel to instance 0 of vgw-webapp (webapp-to-aws)
    $name = 'azure-vgw-webapp-0'
    $destination = @($VgwWebappInstance0PublicIp.IPAddressToString)
    # Routes bound to the interface ("prefix:metric"), splatted as -IPv4Subnet.
    $routes = @{ IPv4Subnet = @('10.10.0.0/16:100', '172.16.201.0/24:100') }
    $psk = $sharedKey['webapp-to-aws']
    $existing = Get-VpnS2SInterface -Name $name -ErrorAction SilentlyContinue
    if ($existing) {
        # A change reaches a connected tunnel only when it reconnects: note whether anything differs.
        $stale = ((@($existing.Destination) -join ',') -ne ($destination -join ',')) -or ((@($existing.IPv4Subnet | Sort-Object) -join ',') -ne (@($routes['IPv4Subnet'] | Sort-Object) -join ','))
        Write-Output "Updating interface $name"
        Set-VpnS2SInterface -Name $name -Destination $destination @routes -AuthenticationMethod PSKOnly -ResponderAuthenticationMethod PSKOnly -SharedSecret $psk -Persistent -AutoConnectEnabled $true -NumberOfTries 0 -IdleDisconnectSeconds 0 -InitiateConfigPayload $false -CustomPolicy -EncryptionMethod AES256 -IntegrityCheckMethod SHA256 -CipherTransformConstants AES256 -AuthenticationTransformConstants SHA256128 -DHGroup Group14 -PfsGroup PFS2048 -SALifeTimeSeconds 27000 -SADataSizeForRenegotiationKilobytes 102400000 -Force
        if ($stale -and $existing.ConnectionState -eq 'Connected') {
            Write-Output "Reconnecting interface $name to apply the change"
            Disconnect-VpnS2SInterface -Name $name -Force
        }
    } else {
        Write-Output "Creating interface $name"
        Add-VpnS2SInterface -Name $name -Destination $destination -Protocol IKEv2 @routes -AuthenticationMethod PSKOnly -ResponderAuthenticationMethod PSKOnly -SharedSecret $psk -Persistent -AutoConnectEnabled $true -NumberOfTries 0 -IdleDisconnectSeconds 0 -InitiateConfigPayload $false -CustomPolicy -EncryptionMethod AES256 -IntegrityCheckMethod SHA256 -CipherTransformConstants AES256 -AuthenticationTransformConstants SHA256128 -DHGroup Group14 -PfsGroup PFS2048 -SALifeTimeSeconds 27000 -SADataSizeForRenegotiationKilobytes 102400000
    }

    Write-Output '== Connect'
    foreach ($name in @('azure-vgw-webapp-0')) {
        if ((Get-VpnS2SInterface -Name $name).ConnectionState -ne 'Connected') {
            Connect-VpnS2SInterface -Name $name
        }
    }
} catch {
    Write-Output "ERROR $($_.Exception.Message)"
    exit 1
}

Write-Output '== Verify'
$deadline = (Get-Date).AddSeconds($WaitSeconds)
$failures = 0
function Test-Step {
    param([string] $What, [scriptblock] $Check)
    $ok = [bool](& $Check)
    while (-not $ok -and (Get-Date) -lt $script:deadline) {
        Start-Sleep -Seconds 5
        $ok = [bool](& $Check)
    }
    if ($ok) {
        Write-Output "PASS $What"
    } else {
        Write-Output "FAIL $What"
        $script:failures++
    }
}
Test-Step -What 'interface azure-vgw-webapp-0 connected' -Check { (Get-VpnS2SInterface -Name 'azure-vgw-webapp-0').ConnectionState -eq 'Connected' }
# The routes toward Azure the route simulation expects this site to have (static on the interfaces, or learned over BGP).
foreach ($routePrefix in @('10.10.0.0/16', '172.16.201.0/24')) {
    Test-Step -What "route to $routePrefix toward Azure" -Check { @(Get-NetRoute -DestinationPrefix $routePrefix -ErrorAction SilentlyContinue).Count -gt 0 }
}
if ($failures -gt 0) {
    Write-Output "$failures check(s) failed."
    exit 1
}
Write-Output 'All checks passed.'
