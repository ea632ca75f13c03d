<#
.SYNOPSIS
    Reachability checks of topology webapp-hybrid from one test endpoint; PASS/FAIL per line, exit 1 on any FAIL.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $From
)

$checks = @{
    'vm-backend' = @(@{ To = 'vm-onprem-azure'; Address = '192.168.1.10' }, @{ To = 'ec2-onprem-aws'; Address = '10.20.1.20' })
    'vm-onprem-azure' = @(@{ To = 'vm-backend'; Address = '10.10.2.10' })
    'ec2-onprem-aws' = @(@{ To = 'vm-backend'; Address = '10.10.2.10' })
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
