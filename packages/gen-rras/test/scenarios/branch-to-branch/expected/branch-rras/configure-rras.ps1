<#
.SYNOPSIS
    Configures Windows Server RRAS at site branch-rras as its VPN device toward Azure.
.DESCRIPTION
    Branch office with Windows Server RRAS peering BGP over two tunnels.
    Installs Remote Access if missing, creates one IKEv2 site-to-site interface per Azure gateway
    instance, peers BGP over them, connects them and checks the result. Run it elevated
    on the RRAS server (10.60.0.4). Safe to run again: what exists is updated, not duplicated.
    Exit codes: 0 all checks passed, 1 an error or a failed check, 3010 restart Windows and run again.
#>
#Requires -Version 5.1
#Requires -RunAsAdministrator
[CmdletBinding()]
param(
    # Pre-shared key of connection hub-to-branch-rras; read from the environment variable HUB_BRANCH_RRAS_PSK when omitted.
    [Parameter(Mandatory = $false)]
    [SecureString] $HubToBranchRrasSharedKey,
    # Public IP of instance 0 of Azure VPN gateway vgw-hub (an output of the Azure deployment).
    [Parameter(Mandatory = $true)]
    [ipaddress] $VgwHubInstance0PublicIp,
    # BGP address of instance 0 of Azure VPN gateway vgw-hub (an output of the Azure deployment).
    [Parameter(Mandatory = $true)]
    [ipaddress] $VgwHubInstance0BgpIp,
    # Public IP of instance 1 of Azure VPN gateway vgw-hub (an output of the Azure deployment).
    [Parameter(Mandatory = $true)]
    [ipaddress] $VgwHubInstance1PublicIp,
    # BGP address of instance 1 of Azure VPN gateway vgw-hub (an output of the Azure deployment).
    [Parameter(Mandatory = $true)]
    [ipaddress] $VgwHubInstance1BgpIp,
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
    # hub-to-branch-rras: environment variable HUB_BRANCH_RRAS_PSK
    $sharedKey['hub-to-branch-rras'] = Read-SharedKey -Given $HubToBranchRrasSharedKey -Connection 'hub-to-branch-rras' -FromSource { [Environment]::GetEnvironmentVariable('HUB_BRANCH_RRAS_PSK') }

    # Tunnel to instance 0 of vgw-hub (hub-to-branch-rras): carries only the BGP peer address
    $name = 'azure-vgw-hub-0'
    $destination = @($VgwHubInstance0PublicIp.IPAddressToString)
    # Routes bound to the interface ("prefix:metric"), splatted as -IPv4Subnet.
    $routes = @{ IPv4Subnet = @("$($VgwHubInstance0BgpIp.IPAddressToString)/32:100") }
    $psk = $sharedKey['hub-to-branch-rras']
    $existing = Get-VpnS2SInterface -Name $name -ErrorAction SilentlyContinue
    if ($existing) {
        # A change reaches a connected tunnel only when it reconnects: note whether anything differs.
        $stale = ((@($existing.Destination) -join ',') -ne ($destination -join ',')) -or ((@($existing.IPv4Subnet | Sort-Object) -join ',') -ne (@($routes['IPv4Subnet'] | Sort-Object) -join ','))
        Write-Output "Updating interface $name"
        Set-VpnS2SInterface -Name $name -Destination $destination @routes -AuthenticationMethod PSKOnly -ResponderAuthenticationMethod PSKOnly -SharedSecret $psk -Persistent -AutoConnectEnabled $true -NumberOfTries 0 -IdleDisconnectSeconds 0 -InitiateConfigPayload $false -Force
        if ($stale -and $existing.ConnectionState -eq 'Connected') {
            Write-Output "Reconnecting interface $name to apply the change"
            Disconnect-VpnS2SInterface -Name $name -Force
        }
    } else {
        Write-Output "Creating interface $name"
        Add-VpnS2SInterface -Name $name -Destination $destination -Protocol IKEv2 @routes -AuthenticationMethod PSKOnly -ResponderAuthenticationMethod PSKOnly -SharedSecret $psk -Persistent -AutoConnectEnabled $true -NumberOfTries 0 -IdleDisconnectSeconds 0 -InitiateConfigPayload $false
    }

    # Tunnel to instance 1 of vgw-hub (hub-to-branch-rras): carries only the BGP peer address
    $name = 'azure-vgw-hub-1'
    $destination = @($VgwHubInstance1PublicIp.IPAddressToString)
    # Routes bound to the interface ("prefix:metric"), splatted as -IPv4Subnet.
    $routes = @{ IPv4Subnet = @("$($VgwHubInstance1BgpIp.IPAddressToString)/32:100") }
    $psk = $sharedKey['hub-to-branch-rras']
    $existing = Get-VpnS2SInterface -Name $name -ErrorAction SilentlyContinue
    if ($existing) {
        # A change reaches a connected tunnel only when it reconnects: note whether anything differs.
        $stale = ((@($existing.Destination) -join ',') -ne ($destination -join ',')) -or ((@($existing.IPv4Subnet | Sort-Object) -join ',') -ne (@($routes['IPv4Subnet'] | Sort-Object) -join ','))
        Write-Output "Updating interface $name"
        Set-VpnS2SInterface -Name $name -Destination $destination @routes -AuthenticationMethod PSKOnly -ResponderAuthenticationMethod PSKOnly -SharedSecret $psk -Persistent -AutoConnectEnabled $true -NumberOfTries 0 -IdleDisconnectSeconds 0 -InitiateConfigPayload $false -Force
        if ($stale -and $existing.ConnectionState -eq 'Connected') {
            Write-Output "Reconnecting interface $name to apply the change"
            Disconnect-VpnS2SInterface -Name $name -Force
        }
    } else {
        Write-Output "Creating interface $name"
        Add-VpnS2SInterface -Name $name -Destination $destination -Protocol IKEv2 @routes -AuthenticationMethod PSKOnly -ResponderAuthenticationMethod PSKOnly -SharedSecret $psk -Persistent -AutoConnectEnabled $true -NumberOfTries 0 -IdleDisconnectSeconds 0 -InitiateConfigPayload $false
    }

    Write-Output '== BGP'
    $router = Get-BgpRouter -ErrorAction SilentlyContinue
    if (-not $router) {
        Add-BgpRouter -BgpIdentifier '10.60.0.4' -LocalASN 65060
    } elseif ($router.BgpIdentifier -ne '10.60.0.4' -or $router.LocalASN -ne 65060) {
        Set-BgpRouter -BgpIdentifier '10.60.0.4' -LocalASN 65060 -Force
    }
    # BGP peer: instance 0 of vgw-hub, weight 200 (routes from the higher weight are preferred)
    if (Get-BgpPeer -Name 'azure-vgw-hub-0' -ErrorAction SilentlyContinue) {
        Set-BgpPeer -Name 'azure-vgw-hub-0' -LocalIPAddress '10.60.0.4' -PeerIPAddress $VgwHubInstance0BgpIp.IPAddressToString -PeerASN 65515 -OperationMode Mixed -PeeringMode Automatic -Weight 200 -Force
    } else {
        Add-BgpPeer -Name 'azure-vgw-hub-0' -LocalIPAddress '10.60.0.4' -PeerIPAddress $VgwHubInstance0BgpIp.IPAddressToString -PeerASN 65515 -OperationMode Mixed -PeeringMode Automatic -Weight 200
    }
    # BGP peer: instance 1 of vgw-hub, weight 100 (routes from the higher weight are preferred)
    if (Get-BgpPeer -Name 'azure-vgw-hub-1' -ErrorAction SilentlyContinue) {
        Set-BgpPeer -Name 'azure-vgw-hub-1' -LocalIPAddress '10.60.0.4' -PeerIPAddress $VgwHubInstance1BgpIp.IPAddressToString -PeerASN 65515 -OperationMode Mixed -PeeringMode Automatic -Weight 100 -Force
    } else {
        Add-BgpPeer -Name 'azure-vgw-hub-1' -LocalIPAddress '10.60.0.4' -PeerIPAddress $VgwHubInstance1BgpIp.IPAddressToString -PeerASN 65515 -OperationMode Mixed -PeeringMode Automatic -Weight 100
    }
    # Originate the site's LAN ranges, never just this server's own address.
    $originated = @(Get-BgpCustomRoute -ErrorAction SilentlyContinue | ForEach-Object { $_.Network })
    foreach ($prefix in @('10.60.0.0/16')) {
        if ($originated -notcontains $prefix) {
            Add-BgpCustomRoute -Network $prefix
        }
    }

    Write-Output '== Connect'
    foreach ($name in @('azure-vgw-hub-0', 'azure-vgw-hub-1')) {
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
Test-Step -What 'interface azure-vgw-hub-0 connected' -Check { (Get-VpnS2SInterface -Name 'azure-vgw-hub-0').ConnectionState -eq 'Connected' }
Test-Step -What 'interface azure-vgw-hub-1 connected' -Check { (Get-VpnS2SInterface -Name 'azure-vgw-hub-1').ConnectionState -eq 'Connected' }
Test-Step -What 'BGP session azure-vgw-hub-0 established' -Check { (Get-BgpPeer -Name 'azure-vgw-hub-0').ConnectivityStatus -eq 'Connected' }
Test-Step -What 'BGP session azure-vgw-hub-1 established' -Check { (Get-BgpPeer -Name 'azure-vgw-hub-1').ConnectivityStatus -eq 'Connected' }
# The routes toward Azure the route simulation expects this site to have (static on the interfaces, or learned over BGP).
foreach ($routePrefix in @('10.100.0.0/16', '10.101.0.0/16', '10.50.0.0/16')) {
    Test-Step -What "route to $routePrefix toward Azure" -Check { @(Get-NetRoute -DestinationPrefix $routePrefix -ErrorAction SilentlyContinue).Count -gt 0 }
}
if ($failures -gt 0) {
    Write-Output "$failures check(s) failed."
    exit 1
}
Write-Output 'All checks passed.'
