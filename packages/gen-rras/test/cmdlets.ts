/**
 * The commands generated scripts may call, with the parameters each really has. Sources: the
 * RemoteAccess and BgpRouting module references (MicrosoftDocs/windows-powershell-docs,
 * learn.microsoft.com/powershell/module/remoteaccess: Add-/Set-VpnS2SInterface, Add-/Set-BgpPeer,
 * Add-/Set-BgpRouter, Add-BgpCustomRoute), ServerManager, NetTCPIP, AWS Tools for PowerShell
 * (Get-SECSecretValue, Get-SSMParameter) and Az.KeyVault. A misspelt cmdlet or parameter fails.
 */
const COMMON = ['ErrorAction', 'WarningAction', 'Verbose', 'Debug', 'ErrorVariable', 'WhatIf', 'Confirm'];
const S2S_SHARED = [
  'Name', 'Destination', 'AdminStatus', 'AuthenticationMethod', 'ResponderAuthenticationMethod', 'SharedSecret', 'IPv4Subnet', 'IPv6Subnet',
  'Persistent', 'AutoConnectEnabled', 'NumberOfTries', 'RetryIntervalSeconds', 'IdleDisconnectSeconds', 'NetworkOutageTimeSeconds',
  'InitiateConfigPayload', 'SALifeTimeSeconds', 'MMSALifeTimeSeconds', 'SADataSizeForRenegotiationKilobytes', 'SourceIpAddress', 'EncryptionType',
  'PostConnectionIPv4Subnet', 'PostConnectionIPv6Subnet', 'PassThru', 'CustomPolicy', 'EncryptionMethod', 'IntegrityCheckMethod',
  'CipherTransformConstants', 'AuthenticationTransformConstants', 'DHGroup', 'PfsGroup',
];
const BGP_PEER = ['Name', 'LocalIPAddress', 'PeerIPAddress', 'PeerASN', 'LocalASN', 'OperationMode', 'PeeringMode', 'HoldTimeSec', 'IdleHoldTimeSec', 'Weight', 'MaxAllowedPrefix', 'PassThru'];

export const ALLOWED: Record<string, readonly string[]> = {
  'Add-VpnS2SInterface': [...S2S_SHARED, 'Protocol'],
  'Set-VpnS2SInterface': [...S2S_SHARED, 'Force'],
  'Get-VpnS2SInterface': ['Name'],
  'Connect-VpnS2SInterface': ['Name', 'PassThru'],
  'Disconnect-VpnS2SInterface': ['Name', 'Force', 'PassThru'],
  'Set-VpnServerIPsecConfiguration': ['EncryptionType', 'SADataSizeForRenegotiationKilobytes'],
  'Get-RemoteAccess': [],
  'Install-RemoteAccess': ['VpnType'],
  'Get-BgpRouter': [],
  'Add-BgpRouter': ['BgpIdentifier', 'LocalASN'],
  'Set-BgpRouter': ['BgpIdentifier', 'LocalASN', 'Force'],
  'Get-BgpPeer': ['Name'],
  'Add-BgpPeer': BGP_PEER,
  'Set-BgpPeer': [...BGP_PEER, 'Force'],
  'Get-BgpCustomRoute': [],
  'Add-BgpCustomRoute': ['Network', 'Interface'],
  'Get-NetRoute': ['DestinationPrefix'],
  'Get-WindowsFeature': ['Name'],
  'Install-WindowsFeature': ['Name', 'IncludeManagementTools'],
  'Import-Module': ['Name'],
  'Get-SECSecretValue': ['SecretId', 'Region'],
  'Get-SSMParameter': ['Name', 'WithDecryption', 'Region'],
  'Get-AzKeyVaultSecret': ['VaultName', 'Name', 'AsPlainText'],
  'ConvertFrom-Json': [],
  'Select-Object': ['ExpandProperty'],
  'Where-Object': [],
  'Sort-Object': [],
  'ForEach-Object': [],
  'Write-Output': [],
  'Write-Warning': [],
  'Get-Date': [],
  'Start-Sleep': ['Seconds'],
  'Set-StrictMode': ['Version'],
  // The script's own functions, and the script blocks they are handed.
  'Read-SharedKey': ['Given', 'Connection', 'FromSource'],
  'Test-Step': ['What', 'Check'],
  '$FromSource': [],
  '$Check': [],
};

export function disallowed(commands: readonly { name: string; parameters: string[]; line: number }[]): string[] {
  const problems: string[] = [];
  for (const c of commands) {
    // PowerShell matches command and parameter names without regard to case.
    const allowed = Object.entries(ALLOWED).find(([name]) => name.toLowerCase() === c.name.toLowerCase())?.[1];
    const known = new Set([...(allowed ?? []), ...COMMON].map((p) => p.toLowerCase()));
    if (!allowed) problems.push(`line ${c.line}: unknown command ${c.name}`);
    else for (const p of c.parameters) if (!known.has(p.toLowerCase())) problems.push(`line ${c.line}: ${c.name} has no parameter -${p}`);
  }
  return problems;
}
