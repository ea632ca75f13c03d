# Runs a generated verify.ps1 under Pester with Test-Connection faked (PowerShell 7 binds the
# script's -ComputerName to -TargetName through its alias): the case file (JSON,
# written by verify.pester.test.ts from the model) lists each endpoint and the addresses it must
# reach. Every expected pair must be pinged and reported PASS; an unreachable one FAIL with exit 1;
# an unknown endpoint exit 2.
param([Parameter(Mandatory)] [string] $CasePath)

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

    It 'pings every address the endpoint must reach and reports PASS for each' {
        $global:VerifyDown = @()
        Mock Test-Connection -MockWith { $TargetName -notin $global:VerifyDown }
        $run = Invoke-Verify $from
        $run.Code | Should -Be 0 -Because $run.Output
        foreach ($check in $case.checks[$from]) {
            $run.Output | Should -Match ([regex]::Escape("PASS $from reaches $($check.to) ($($check.address))"))
            Should -Invoke Test-Connection -ParameterFilter { $TargetName -eq $check.address -and $Quiet } -Times 1 -Exactly
        }
        Should -Invoke Test-Connection -Times @($case.checks[$from]).Count -Exactly
    }

    It 'reports FAIL and exits 1 when an address does not answer' {
        $global:VerifyDown = @($case.checks[$from][0].address)
        Mock Test-Connection -MockWith { $TargetName -notin $global:VerifyDown }
        $run = Invoke-Verify $from
        $run.Code | Should -Be 1
        $run.Output | Should -Match ([regex]::Escape("FAIL $from does not reach $($case.checks[$from][0].to) ($($case.checks[$from][0].address))"))
    }

    It 'exits 2 for an endpoint it does not know' {
        Mock Test-Connection -MockWith { $true }
        $run = Invoke-Verify 'no-such-endpoint'
        $run.Code | Should -Be 2
        Should -Invoke Test-Connection -Times 0 -Exactly
    }
}
