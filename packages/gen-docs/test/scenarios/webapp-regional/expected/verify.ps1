<#
.SYNOPSIS
    Reachability checks of topology webapp-regional from one test endpoint (a TCP connection to each peer's RDP or SSH listener); PASS/FAIL per line, exit 1 on any FAIL.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $From
)

$checks = @{
    'vm-backend' = @(@{ To = 'ec2-branch'; Address = '10.40.1.20'; Port = 3389 })
    'ec2-branch' = @(@{ To = 'vm-backend'; Address = '10.30.3.10'; Port = 22 })
}
if (-not $checks.ContainsKey($From)) {
    Write-Output "unknown endpoint $From; known: $($checks.Keys -join ', ')"
    exit 2
}
$failures = 0
foreach ($check in $checks[$From]) {
    if (Test-NetConnection -ComputerName $check.Address -Port $check.Port -InformationLevel Quiet -WarningAction SilentlyContinue) {
        Write-Output "PASS $From reaches $($check.To) ($($check.Address) TCP $($check.Port))"
    } else {
        Write-Output "FAIL $From does not reach $($check.To) ($($check.Address) TCP $($check.Port))"
        $failures++
    }
}
if ($failures -gt 0) {
    exit 1
}
