<#
.SYNOPSIS
    Reachability checks of topology webapp-regional from one test endpoint; PASS/FAIL per line, exit 1 on any FAIL.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $From
)

$checks = @{
    'vm-backend' = @(@{ To = 'ec2-branch'; Address = '10.40.1.20' })
    'ec2-branch' = @(@{ To = 'vm-backend'; Address = '10.30.3.10' })
}
if (-not $checks.ContainsKey($From)) {
    Write-Output "unknown endpoint $From; known: $($checks.Keys -join ', ')"
    exit 2
}
$failures = 0
foreach ($check in $checks[$From]) {
    if (Test-Connection -ComputerName $check.Address -Count 2 -Quiet) {
        Write-Output "PASS $From reaches $($check.To) ($($check.Address))"
    } else {
        Write-Output "FAIL $From does not reach $($check.To) ($($check.Address))"
        $failures++
    }
}
if ($failures -gt 0) {
    exit 1
}
