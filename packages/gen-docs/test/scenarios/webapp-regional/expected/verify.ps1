<#
.SYNOPSIS
    Reachability checks of topology webapp-regional from one test endpoint (a TCP connection to each peer's RDP or SSH listener); PASS/FAIL per line, exit 1 on any FAIL.
#>
[CmdletBinding(DefaultParameterSetName = 'From')]
param(
    [Parameter(Mandatory = $true, ParameterSetName = 'From')]
    [string] $From,
    # Listen on the ports the other endpoints probe here (an intent's own port), until Ctrl-C.
    [Parameter(Mandatory = $true, ParameterSetName = 'Listen')]
    [string] $Listen
)

$listens = @{
    'vm-backend' = @(3389)
    'ec2-branch' = @()
}
if ($PSCmdlet.ParameterSetName -eq 'Listen') {
    if (-not $listens.ContainsKey($Listen) -or $listens[$Listen].Count -eq 0) {
        Write-Output "nothing to listen for on $Listen"
        exit 2
    }
    if ($listens[$Listen] -contains 'ICMP') {
        # Windows Firewall drops pings (ICMPv4 echo requests) unless a rule lets them in.
        New-NetFirewallRule -DisplayName "hybridnet verify ICMPv4 echo" -Direction Inbound -Protocol ICMPv4 -IcmpType 8 -Action Allow | Out-Null
    }
    $listeners = foreach ($port in @($listens[$Listen] | Where-Object { $_ -ne 'ICMP' })) {
        # Windows Firewall lets nothing in on a port of its own accord.
        New-NetFirewallRule -DisplayName "hybridnet verify TCP $port" -Direction Inbound -Protocol TCP -LocalPort $port -Action Allow | Out-Null
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, $port)
        $listener.Start()
        $listener
    }
    Write-Output "listening on TCP $($listens[$Listen] -join ', '); Ctrl-C to stop"
    while ($true) {
        foreach ($listener in $listeners) {
            if ($listener.Pending()) { $listener.AcceptTcpClient().Close() }
        }
        Start-Sleep -Milliseconds 100
    }
}

$checks = @{
    'vm-backend' = @()
    'ec2-branch' = @(@{ To = 'vm-backend'; Address = '10.30.3.10'; Port = 22; Open = $true }, @{ To = 'vm-backend'; Address = '10.30.3.10'; Port = 3389; Open = $false })
}
if (-not $checks.ContainsKey($From)) {
    Write-Output "unknown endpoint $From; known: $($checks.Keys -join ', ')"
    exit 2
}
$failures = 0
foreach ($check in $checks[$From]) {
    # A TCP connection to the port, or (an ICMP intent) a ping: Test-NetConnection without a port.
    if ($check.Protocol -eq 'ICMP') {
        $open = Test-NetConnection -ComputerName $check.Address -InformationLevel Quiet -WarningAction SilentlyContinue
        $what = 'ICMP'
    } else {
        $open = Test-NetConnection -ComputerName $check.Address -Port $check.Port -InformationLevel Quiet -WarningAction SilentlyContinue
        $what = "TCP $($check.Port)"
    }
    $verb = if ($open) { "reaches" } else { "does not reach" }
    if ($open -eq $check.Open) {
        Write-Output "PASS $From $verb $($check.To) ($($check.Address) $what)"
    } else {
        Write-Output "FAIL $From $verb $($check.To) ($($check.Address) $what), which must $(if ($check.Open) { "open" } else { "stay closed" })"
        $failures++
    }
}
if ($failures -gt 0) {
    exit 1
}
