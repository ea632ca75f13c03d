# Runs a generated verify.ps1 under Pester with Test-NetConnection faked by a stub with the
# cmdlet's real parameter sets (Windows' NetTCPIP module; pwsh on Linux has none): the case file
# (JSON, written by verify.pester.test.ts from the model) lists each endpoint and the addresses and
# TCP ports it probes (or pings, for an ICMP intent), each with whether the connection must open (reach) or stay closed (isolate).
# Every pair must be probed and reported PASS when the network does what it must; one that does
# otherwise FAIL with exit 1; an unknown endpoint exit 2.
param([Parameter(Mandatory)] [string] $CasePath)

# Test-NetConnection's parameter sets (learn.microsoft.com, NetTCPIP Test-NetConnection):
# CommonTCPPort, ICMP (default) and RemotePort. Only the stub's signature matters; Pester mocks it.
function global:Test-NetConnection {
    [CmdletBinding(DefaultParameterSetName = 'ICMP')]
    param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [Alias('RemoteAddress', 'cn')] [string] $ComputerName,
        [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'CommonTCPPort')] [ValidateSet('HTTP', 'RDP', 'SMB', 'WINRM')] [string] $CommonTCPPort,
        [Parameter(ParameterSetName = 'ICMP')] [switch] $TraceRoute,
        [Parameter(ParameterSetName = 'ICMP')] [int] $Hops,
        [Parameter(Mandatory = $true, ParameterSetName = 'RemotePort')] [Alias('RemotePort')] [ValidateRange(1, 65535)] [int] $Port,
        [ValidateSet('Quiet', 'Detailed')] [string] $InformationLevel = 'Detailed'
    )
    throw 'the stub runs only under a mock'
}

BeforeDiscovery {
    $case = Get-Content -Raw -LiteralPath $CasePath | ConvertFrom-Json -AsHashtable
    $endpoints = @($case.checks.Keys | ForEach-Object { @{ from = $_; case = $case } })
}

Describe 'verify.ps1 -From <from>' -ForEach $endpoints {
    BeforeAll {
        function Invoke-Verify {
            param([string] $Endpoint)
            $global:LASTEXITCODE = 0
            $output = & $case.script -From $Endpoint *>&1 | Out-String
            [pscustomobject]@{ Code = $LASTEXITCODE; Output = $output }
        }
    }

    It 'opens a TCP connection to every address the endpoint probes and reports PASS when each opens or stays closed as it must' {
        # By address and port (0: a ping), as one address may be probed on both.
        $global:VerifyOpen = @($case.checks[$from] | Where-Object { $_.open } | ForEach-Object { "$($_.address):$($_.port)" })
        Mock Test-NetConnection -MockWith { "$($ComputerName):$([int]$Port)" -in $global:VerifyOpen }
        $run = Invoke-Verify $from
        $run.Code | Should -Be 0 -Because $run.Output
        foreach ($check in $case.checks[$from]) {
            $verb = if ($check.open) { 'reaches' } else { 'does not reach' }
            $what = if ($check.protocol -eq 'icmp') { 'ICMP' } else { "TCP $($check.port)" }
            $run.Output | Should -Match ([regex]::Escape("PASS $from $verb $($check.to) ($($check.address) $what)"))
            Should -Invoke Test-NetConnection -ParameterFilter { $ComputerName -eq $check.address -and [int]$Port -eq $check.port -and $InformationLevel -eq 'Quiet' } -Times 1 -Exactly
        }
        Should -Invoke Test-NetConnection -Times @($case.checks[$from]).Count -Exactly
    }

    It 'reports FAIL and exits 1 when a connection does the opposite of what it must' {
        $first = $case.checks[$from][0]
        $global:VerifyOpen = @($case.checks[$from] | Where-Object { $_.open -ne ($_ -eq $first) } | ForEach-Object { "$($_.address):$($_.port)" })
        Mock Test-NetConnection -MockWith { "$($ComputerName):$([int]$Port)" -in $global:VerifyOpen }
        $run = Invoke-Verify $from
        $run.Code | Should -Be 1
        $seen = if ($first.open) { 'does not reach' } else { 'reaches' }
        $must = if ($first.open) { 'open' } else { 'stay closed' }
        $what = if ($first.protocol -eq 'icmp') { 'ICMP' } else { "TCP $($first.port)" }
        $run.Output | Should -Match ([regex]::Escape("FAIL $from $seen $($first.to) ($($first.address) $what), which must $must"))
    }

    It 'exits 2 for an endpoint it does not know' {
        Mock Test-NetConnection -MockWith { $true }
        $run = Invoke-Verify 'no-such-endpoint'
        $run.Code | Should -Be 2
        Should -Invoke Test-NetConnection -Times 0 -Exactly
    }
}
