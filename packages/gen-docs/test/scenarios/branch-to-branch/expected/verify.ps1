<#
.SYNOPSIS
    Reachability checks of topology branch-to-branch from one test endpoint (a TCP connection to each peer's RDP or SSH listener); PASS/FAIL per line, exit 1 on any FAIL.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $From
)

$checks = @{
    'vm-spoke-app' = @(@{ To = 'vm-branch-rras'; Address = '10.60.1.10'; Port = 3389; Open = $true })
    'vm-branch-rras' = @()
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
