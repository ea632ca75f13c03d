# Stand-ins for the Windows-only commands configure-rras.ps1 calls, for running it under Pester
# on any platform. Each stub carries the real command's parameters, types, parameter sets and
# accepted values, so a wrong parameter name or value fails to bind as it would on Windows Server.
# They keep state in $global:Rras (features, interfaces, BGP router, peers, originated routes), so a
# second run sees what the first one did.
#
# Sources (parameter sets and enums):
# - RemoteAccess module: learn.microsoft.com/powershell/module/remoteaccess/ add-vpns2sinterface,
#   set-vpns2sinterface, get-vpns2sinterface, connect-vpns2sinterface, disconnect-vpns2sinterface,
#   set-vpnserveripsecconfiguration, get-remoteaccess, install-remoteaccess; add-bgprouter,
#   set-bgprouter, get-bgprouter, add-bgppeer, set-bgppeer, get-bgppeer, add-bgpcustomroute,
#   get-bgpcustomroute (MicrosoftDocs/windows-powershell-docs, docset/winserver2022-ps).
# - ServerManager: learn.microsoft.com/powershell/module/servermanager/ get-windowsfeature,
#   install-windowsfeature. NetTCPIP: get-netroute.
# - AWS Tools for PowerShell: Get-SECSecretValue (AWS.Tools.SecretsManager), Get-SSMParameter
#   (AWS.Tools.SimpleSystemsManagement). Az.KeyVault: Get-AzKeyVaultSecret.

Set-StrictMode -Version Latest

function Reset-RrasState {
    param([hashtable] $Secrets = @{}, [string[]] $AzureRoutes = @(), [bool] $RestartNeeded = $false, [string[]] $MissingRoutes = @())
    $global:Rras = @{
        Features = [ordered]@{ 'RemoteAccess' = $false; 'Routing' = $false; 'RSAT-RemoteAccess-PowerShell' = $false; 'DirectAccess-VPN' = $false }
        RestartNeeded = $RestartNeeded
        VpnS2S = $false
        IPsec = $null
        Interfaces = [ordered]@{}
        Router = $null
        Peers = [ordered]@{}
        CustomRoutes = [System.Collections.Generic.List[string]]::new()
        # What Azure advertises once BGP sessions are up (static mode: the interfaces' own routes).
        AzureRoutes = $AzureRoutes
        # Routes that never arrive (a gateway that does not advertise them, a route table elsewhere).
        MissingRoutes = $MissingRoutes
        Secrets = $Secrets
    }
}

function ConvertTo-RrasInterface {
    param([hashtable] $Spec)
    [pscustomobject]@{
        Name = $Spec.Name; Destination = @($Spec.Destination); AdminStatus = $true; ConnectionState = $Spec.ConnectionState
        IPv4Subnet = @($Spec.IPv4Subnet); IPv6Subnet = @($Spec.IPv6Subnet); Protocol = $Spec.Protocol
        AuthenticationMethod = $Spec.AuthenticationMethod; ResponderAuthenticationMethod = $Spec.ResponderAuthenticationMethod
        NumberOfTries = $Spec.NumberOfTries; IdleDisconnectSeconds = $Spec.IdleDisconnectSeconds; Persistent = $Spec.Persistent
        CustomPolicy = $Spec.CustomPolicy; Policy = $Spec.Policy
    }
}

# Applies one call to the state. $Bound is the call's bound parameters.
function Invoke-RrasStub {
    param([string] $Command, [hashtable] $Bound)
    $s = $global:Rras
    $silent = $Bound.ContainsKey('ErrorAction') -and "$($Bound['ErrorAction'])" -eq 'SilentlyContinue'
    $notFound = { param($what) if (-not $silent) { throw "$what not found" } }
    $policyKeys = 'EncryptionMethod', 'IntegrityCheckMethod', 'CipherTransformConstants', 'AuthenticationTransformConstants', 'DHGroup', 'PfsGroup', 'SALifeTimeSeconds', 'SADataSizeForRenegotiationKilobytes'
    switch ($Command) {
        'Get-WindowsFeature' {
            foreach ($n in $Bound['Name']) { [pscustomobject]@{ Name = $n; Installed = [bool]$s.Features[$n] } }
        }
        'Install-WindowsFeature' {
            foreach ($n in $Bound['Name']) { $s.Features[$n] = $true }
            [pscustomobject]@{ Success = $true; RestartNeeded = $(if ($s.RestartNeeded) { 'Yes' } else { 'No' }); ExitCode = 'Success' }
            $s.RestartNeeded = $false
        }
        'Get-RemoteAccess' { [pscustomobject]@{ VpnS2SStatus = $(if ($s.VpnS2S) { 'Installed' } else { 'Uninstalled' }) } }
        'Install-RemoteAccess' {
            if (-not $s.Features['RemoteAccess']) { throw 'Remote Access is not installed' }
            $s.VpnS2S = $true
        }
        'Set-VpnServerIPsecConfiguration' { $s.IPsec = "$($Bound['EncryptionType'])" }
        'Get-VpnS2SInterface' {
            if ($s.Interfaces.Contains($Bound['Name'])) { ConvertTo-RrasInterface $s.Interfaces[$Bound['Name']] } else { & $notFound "interface $($Bound['Name'])" }
        }
        { $_ -in 'Add-VpnS2SInterface', 'Set-VpnS2SInterface' } {
            if (-not $s.VpnS2S) { throw 'RemoteAccess VpnS2S is not installed' }
            $name = $Bound['Name']
            $adding = $Command -eq 'Add-VpnS2SInterface'
            if ($adding -and $s.Interfaces.Contains($name)) { throw "interface $name already exists" }
            if (-not $adding -and -not $s.Interfaces.Contains($name)) { throw "interface $name not found" }
            $i = if ($adding) { @{ Name = $name; ConnectionState = 'Disconnected'; IPv4Subnet = @(); IPv6Subnet = @(); Protocol = "$($Bound['Protocol'])"; CustomPolicy = $false; Policy = @{} } } else { $s.Interfaces[$name] }
            foreach ($k in 'Destination', 'IPv4Subnet', 'IPv6Subnet', 'AuthenticationMethod', 'ResponderAuthenticationMethod', 'SharedSecret', 'NumberOfTries', 'IdleDisconnectSeconds', 'AutoConnectEnabled', 'InitiateConfigPayload') {
                if ($Bound.ContainsKey($k)) { $i[$k] = $Bound[$k] }
            }
            if ($Bound.ContainsKey('Persistent')) { $i.Persistent = [bool]$Bound['Persistent'] }
            if ($Bound.ContainsKey('CustomPolicy')) {
                $i.CustomPolicy = $true
                foreach ($k in $policyKeys) { if ($Bound.ContainsKey($k)) { $i.Policy[$k] = "$($Bound[$k])" } }
            }
            $s.Interfaces[$name] = $i
        }
        'Connect-VpnS2SInterface' {
            if (-not $s.Interfaces.Contains($Bound['Name'])) { throw "interface $($Bound['Name']) not found" }
            $s.Interfaces[$Bound['Name']].ConnectionState = 'Connected'
        }
        'Disconnect-VpnS2SInterface' {
            if (-not $s.Interfaces.Contains($Bound['Name'])) { throw "interface $($Bound['Name']) not found" }
            $s.Interfaces[$Bound['Name']].ConnectionState = 'Disconnected'
        }
        'Get-BgpRouter' {
            if ($s.Router) { [pscustomobject]$s.Router } else { & $notFound 'BGP router' }
        }
        'Add-BgpRouter' {
            if ($s.Router) { throw 'BGP router already exists' }
            $s.Router = @{ BgpIdentifier = "$($Bound['BgpIdentifier'])"; LocalASN = [uint32]$Bound['LocalASN'] }
        }
        'Set-BgpRouter' {
            if (-not $s.Router) { throw 'BGP router not found' }
            foreach ($k in 'BgpIdentifier', 'LocalASN') { if ($Bound.ContainsKey($k)) { $s.Router[$k] = $Bound[$k] } }
        }
        'Get-BgpPeer' {
            $name = "$(@($Bound['Name'])[0])"
            if ($s.Peers.Contains($name)) {
                $p = $s.Peers[$name]
                $up = $s.Interfaces.Values | Where-Object { $_.ConnectionState -eq 'Connected' -and (@($_.IPv4Subnet) -like "$($p.PeerIPAddress)/32:*") }
                [pscustomobject]($p + @{ PeerName = $name; ConnectivityStatus = $(if ($up) { 'Connected' } else { 'Stopped' }) })
            } else { & $notFound "BGP peer $name" }
        }
        { $_ -in 'Add-BgpPeer', 'Set-BgpPeer' } {
            if (-not $s.Router) { throw 'no BGP router' }
            $name = $Bound['Name']
            if ($Command -eq 'Add-BgpPeer' -and $s.Peers.Contains($name)) { throw "BGP peer $name already exists" }
            if ($Command -eq 'Set-BgpPeer' -and -not $s.Peers.Contains($name)) { throw "BGP peer $name not found" }
            $p = if ($s.Peers.Contains($name)) { $s.Peers[$name] } else { @{} }
            foreach ($k in 'LocalIPAddress', 'PeerIPAddress', 'PeerASN', 'OperationMode', 'PeeringMode', 'Weight') { if ($Bound.ContainsKey($k)) { $p[$k] = "$($Bound[$k])" } }
            $s.Peers[$name] = $p
        }
        'Get-BgpCustomRoute' { if ($s.CustomRoutes.Count -gt 0) { [pscustomobject]@{ Network = @($s.CustomRoutes); Interface = @() } } }
        'Add-BgpCustomRoute' { foreach ($n in $Bound['Network']) { if (-not $s.CustomRoutes.Contains($n)) { $s.CustomRoutes.Add($n) } } }
        'Get-NetRoute' {
            $prefix = $Bound['DestinationPrefix']
            $connected = @($s.Interfaces.Values | Where-Object { $_.ConnectionState -eq 'Connected' })
            $static = $connected | Where-Object { @($_.IPv4Subnet) + @($_.IPv6Subnet) | Where-Object { $_ -like "${prefix}:*" } }
            $bgp = ($s.Peers.Count -gt 0) -and ($connected.Count -gt 0) -and ($s.AzureRoutes -contains $prefix)
            if (($static -or $bgp) -and $s.MissingRoutes -notcontains $prefix) { [pscustomobject]@{ DestinationPrefix = $prefix; NextHop = '0.0.0.0' } } else { & $notFound "route $prefix" }
        }
        'Get-SECSecretValue' { [pscustomobject]@{ SecretString = $s.Secrets["aws:$($Bound['SecretId'])"] } }
        'Get-SSMParameter' { [pscustomobject]@{ Name = $Bound['Name']; Value = $s.Secrets["ssm:$($Bound['Name'])"] } }
        'Get-AzKeyVaultSecret' { $s.Secrets["kv:$($Bound['VaultName'])/$($Bound['Name'])"] }
        default { throw "no stub for $Command" }
    }
}

# The Add-/Set-VpnS2SInterface parameters both share (EncryptionType and CustomPolicy sets).
$s2sShared = @'
    [Parameter(Mandatory, Position = 0)] [string] $Name,
    [string[]] $Destination,
    [bool] $AdminStatus, [bool] $PromoteAlternate,
    [ValidateSet('EAP', 'MachineCertificates', 'PSKOnly', 'MSCHAPv2')] [string] $AuthenticationMethod,
    [ValidateSet('MachineCertificates', 'PSKOnly')] [string] $ResponderAuthenticationMethod,
    [string[]] $PostConnectionIPv4Subnet, [string[]] $PostConnectionIPv6Subnet,
    [bool] $InitiateConfigPayload, [string] $RadiusAttributeClass,
    [uint64] $TxBandwidthKbps, [uint64] $RxBandwidthKbps,
    [string[]] $IPv4TriggerFilter, [string[]] $IPv6TriggerFilter,
    [switch] $Persistent, [bool] $AutoConnectEnabled,
    [uint32] $SADataSizeForRenegotiationKilobytes,
    [string[]] $IPv4Subnet, [string[]] $IPv6Subnet,
    [switch] $PassThru, [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,
    [string] $SharedSecret,
    [ValidateSet(3, 6, 9, 12, 15, 30, 60, 120, 240, 360, 720, 900)] [uint32] $NetworkOutageTimeSeconds,
    [uint32] $NumberOfTries, [uint32] $RetryIntervalSeconds, [uint32] $SALifeTimeSeconds, [uint32] $MMSALifeTimeSeconds,
    [string] $EapMethod, [bool] $InternalIPv4, [bool] $InternalIPv6, [uint32] $IdleDisconnectSeconds,
    [string] $UserName, [string] $Password, [string] $SourceIpAddress,
    [Parameter(ParameterSetName = 'EncryptionType')] [ValidateSet('NoEncryption', 'RequireEncryption', 'OptionalEncryption', 'MaximumEncryption')] [string] $EncryptionType,
    [Parameter(ParameterSetName = 'CustomPolicy', Mandatory)] [switch] $CustomPolicy,
    [Parameter(ParameterSetName = 'CustomPolicy')] [ValidateSet('DES', 'DES3', 'AES128', 'AES192', 'AES256')] [string] $EncryptionMethod,
    [Parameter(ParameterSetName = 'CustomPolicy')] [ValidateSet('MD5', 'SHA1', 'SHA256', 'SHA384')] [string] $IntegrityCheckMethod,
    [Parameter(ParameterSetName = 'CustomPolicy')] [ValidateSet('DES', 'DES3', 'AES128', 'AES192', 'AES256', 'GCMAES128', 'GCMAES192', 'GCMAES256', 'None')] [string] $CipherTransformConstants,
    [Parameter(ParameterSetName = 'CustomPolicy')] [ValidateSet('MD596', 'SHA196', 'SHA256128', 'GCMAES128', 'GCMAES192', 'GCMAES256', 'None')] [string] $AuthenticationTransformConstants,
    [Parameter(ParameterSetName = 'CustomPolicy')] [ValidateSet('None', 'Group1', 'Group2', 'Group14', 'ECP256', 'ECP384', 'Group24')] [string] $DHGroup,
    [Parameter(ParameterSetName = 'CustomPolicy')] [ValidateSet('None', 'PFS1', 'PFS2', 'PFS2048', 'ECP256', 'ECP384', 'PFSMM', 'PFS24')] [string] $PfsGroup,
    [object[]] $CimSession, [int] $ThrottleLimit, [switch] $AsJob
'@

# One stub: the real parameters, then the state change. The bodies are all the same call.
function New-RrasStub {
    param([string] $Name, [string] $Parameters, [string] $DefaultSet = '__AllParameterSets')
    $body = "[CmdletBinding(DefaultParameterSetName = '$DefaultSet', SupportsShouldProcess)]`nparam(`n$Parameters`n)`nInvoke-RrasStub -Command '$Name' -Bound `$PSBoundParameters"
    Set-Item -Path "function:global:$Name" -Value ([scriptblock]::Create($body))
}

New-RrasStub 'Add-VpnS2SInterface' -DefaultSet 'EncryptionType' ($s2sShared.Replace('[string[]] $Destination,', "[Parameter(Mandatory, Position = 1)] [string[]] `$Destination,") + ",`n    [ValidateSet('L2TP', 'IKEv2', 'Automatic', 'SSTP')] [string] `$Protocol, [string] `$RoutingDomain")
New-RrasStub 'Set-VpnS2SInterface' -DefaultSet 'EncryptionType' ($s2sShared + ",`n    [switch] `$Force")
New-RrasStub 'Get-VpnS2SInterface' "[Parameter(Position = 0)] [string] `$Name, [Parameter(Position = 1)] [string] `$RoutingDomain, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
New-RrasStub 'Connect-VpnS2SInterface' "[Parameter(Mandatory, Position = 0)] [string] `$Name, [switch] `$PassThru, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
New-RrasStub 'Disconnect-VpnS2SInterface' "[Parameter(Mandatory, Position = 0)] [string] `$Name, [switch] `$PassThru, [switch] `$Force, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
New-RrasStub 'Set-VpnServerIPsecConfiguration' "[ValidateSet('NoEncryption', 'RequireEncryption', 'OptionalEncryption', 'MaximumEncryption')] [string] `$EncryptionType, [uint32] `$SADataSizeForRenegotiationKilobytes, [switch] `$CustomPolicy, [switch] `$RevertToDefault, [switch] `$PassThru, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
New-RrasStub 'Get-RemoteAccess' "[object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
New-RrasStub 'Install-RemoteAccess' "[ValidateSet('Vpn', 'VpnS2S', 'RoutingOnly', 'SstpProxy')] [string] `$VpnType, [string] `$IPAddressRange, [string] `$RadiusServer, [switch] `$Legacy, [switch] `$PassThru, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
New-RrasStub 'Get-BgpRouter' "[string] `$RoutingDomain, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
$router = "[Parameter(Mandatory)] [ipaddress] `$BgpIdentifier, [Parameter(Mandatory)] [uint32] `$LocalASN, [ValidateSet('Enabled', 'Disabled')] [string] `$TransitRouting, [ValidateSet('Enabled', 'Disabled')] [string] `$RouteReflector, [uint32] `$ClusterId, [ValidateSet('Enabled', 'Disabled')] [string] `$CompareMEDAcrossASN, [ValidateSet('Enabled', 'Disabled')] [string] `$DefaultGatewayRouting, [ValidateSet('Enabled', 'Disabled')] [string] `$IPv6Routing, [ipaddress] `$LocalIPv6Address, [string[]] `$PolicyName, [string] `$RoutingDomain, [switch] `$PassThru, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
New-RrasStub 'Add-BgpRouter' $router
New-RrasStub 'Set-BgpRouter' ($router.Replace('[Parameter(Mandatory)] ', '') + ", [switch] `$Force")
New-RrasStub 'Get-BgpPeer' "[Parameter(Position = 0)] [string[]] `$Name, [string] `$RoutingDomain, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
$peer = "[Parameter(Mandatory, Position = 0)] [string] `$Name, [Parameter(Mandatory)] [ipaddress] `$LocalIPAddress, [Parameter(Mandatory)] [ipaddress] `$PeerIPAddress, [Parameter(Mandatory)] [uint32] `$PeerASN, [uint32] `$LocalASN, [ValidateSet('Mixed', 'Server')] [string] `$OperationMode, [ValidateSet('Automatic', 'Manual')] [string] `$PeeringMode, [uint16] `$HoldTimeSec, [uint32] `$IdleHoldTimeSec, [uint16] `$Weight, [uint32] `$MaxAllowedPrefix, [switch] `$RouteReflectorClient, [string] `$RoutingDomain, [switch] `$PassThru, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
New-RrasStub 'Add-BgpPeer' $peer
New-RrasStub 'Set-BgpPeer' ($peer.Replace('[Parameter(Mandatory)] ', '') + ", [switch] `$Force")
New-RrasStub 'Get-BgpCustomRoute' "[string] `$RoutingDomain, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
New-RrasStub 'Add-BgpCustomRoute' "[string[]] `$Network, [string[]] `$Interface, [string] `$RoutingDomain, [switch] `$PassThru, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
New-RrasStub 'Get-NetRoute' "[string[]] `$DestinationPrefix, [string[]] `$InterfaceAlias, [uint32[]] `$InterfaceIndex, [string[]] `$NextHop, [object[]] `$CimSession, [int] `$ThrottleLimit, [switch] `$AsJob"
New-RrasStub 'Get-WindowsFeature' "[Parameter(Position = 0)] [string[]] `$Name, [string] `$ComputerName, [string] `$Vhd, [string] `$LogPath"
New-RrasStub 'Install-WindowsFeature' "[Parameter(Mandatory, Position = 0)] [string[]] `$Name, [switch] `$IncludeAllSubFeature, [switch] `$IncludeManagementTools, [switch] `$Restart, [string] `$Source, [string] `$ComputerName, [string] `$Vhd, [string] `$LogPath"
New-RrasStub 'Get-SECSecretValue' "[Parameter(Mandatory, Position = 0)] [string] `$SecretId, [string] `$VersionId, [string] `$VersionStage, [string] `$Region, [string] `$ProfileName"
New-RrasStub 'Get-SSMParameter' "[Parameter(Mandatory, Position = 0)] [string] `$Name, [bool] `$WithDecryption, [string] `$Region, [string] `$ProfileName"
New-RrasStub 'Get-AzKeyVaultSecret' "[Parameter(Mandatory)] [string] `$VaultName, [Parameter(Mandatory, Position = 0)] [string] `$Name, [string] `$Version, [switch] `$AsPlainText"

# The commands the stubs stand for, for the test file's mocks.
$global:RrasStubCommands = @(
    'Add-VpnS2SInterface', 'Set-VpnS2SInterface', 'Get-VpnS2SInterface', 'Connect-VpnS2SInterface', 'Disconnect-VpnS2SInterface',
    'Set-VpnServerIPsecConfiguration', 'Get-RemoteAccess', 'Install-RemoteAccess', 'Get-BgpRouter', 'Add-BgpRouter', 'Set-BgpRouter',
    'Get-BgpPeer', 'Add-BgpPeer', 'Set-BgpPeer', 'Get-BgpCustomRoute', 'Add-BgpCustomRoute', 'Get-NetRoute',
    'Get-WindowsFeature', 'Install-WindowsFeature', 'Get-SECSecretValue', 'Get-SSMParameter', 'Get-AzKeyVaultSecret'
)
