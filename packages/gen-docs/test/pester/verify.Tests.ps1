# Runs a generated verify.ps1 under Pester with Test-NetConnection faked by a stub with the
# cmdlet's real parameter sets (Windows' NetTCPIP module; pwsh on Linux has none): the case file
# (JSON, written by verify.pester.test.ts from the model) lists each endpoint and the addresses and
# TCP ports it must reach. Every expected pair must be probed and reported PASS; an unreachable one
# FAIL with exit 1; an unknown endpoint exit 2.
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

    It 'opens a TCP connection to every address the endpoint must reach and reports PASS for each' {
        $global:VerifyDown = @()
        Mock Test-NetConnection -MockWith { $ComputerName -notin $global:VerifyDown }
        $run = Invoke-Verify $from
        $run.Code | Should -Be 0 -Because $run.Output
        foreach ($check in $case.checks[$from]) {
            $run.Output | Should -Match ([regex]::Escape("PASS $from reaches $($check.to) ($($check.address) TCP $($check.port))"))
            Should -Invoke Test-NetConnection -ParameterFilter { $ComputerName -eq $check.address -and $Port -eq $check.port -and $InformationLevel -eq 'Quiet' } -Times 1 -Exactly
        }
        Should -Invoke Test-NetConnection -Times @($case.checks[$from]).Count -Exactly
    }

    It 'reports FAIL and exits 1 when an address does not answer' {
        $global:VerifyDown = @($case.checks[$from][0].address)
        Mock Test-NetConnection -MockWith { $ComputerName -notin $global:VerifyDown }
        $run = Invoke-Verify $from
        $run.Code | Should -Be 1
        $run.Output | Should -Match ([regex]::Escape("FAIL $from does not reach $($case.checks[$from][0].to) ($($case.checks[$from][0].address) TCP $($case.checks[$from][0].port))"))
    }

    It 'exits 2 for an endpoint it does not know' {
        Mock Test-NetConnection -MockWith { $true }
        $run = Invoke-Verify 'no-such-endpoint'
        $run.Code | Should -Be 2
        Should -Invoke Test-NetConnection -Times 0 -Exactly
    }
}
