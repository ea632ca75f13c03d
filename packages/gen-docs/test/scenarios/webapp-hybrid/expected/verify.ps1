<#
.SYNOPSIS
    Reachability checks of topology webapp-hybrid from one test endpoint (a TCP connection to each peer's RDP or SSH listener); PASS/FAIL per line, exit 1 on any FAIL.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $From
)

$checks = @{
    'vm-backend' = @(@{ To = 'vm-onprem-azure'; Address = '192.168.1.10'; Port = 22 }, @{ To = 'ec2-onprem-aws'; Address = '10.20.1.20'; Port = 3389 })
    'vm-onprem-azure' = @(@{ To = 'vm-backend'; Address = '10.10.2.10'; Port = 22 })
    'ec2-onprem-aws' = @(@{ To = 'vm-backend'; Address = '10.10.2.10'; Port = 22 })
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
