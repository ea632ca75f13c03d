# Runs a generated configure-rras.ps1 under Pester against the stubs in RrasStubs.ps1 (real
# parameter sets, kept state). The case file (JSON, written by rras.pester.test.ts from the
# model) names the script, its parameters, where its keys come from, and what RRAS must hold
# afterwards.
param([Parameter(Mandatory)] [string] $CasePath)

BeforeDiscovery {
    $case = Get-Content -Raw -LiteralPath $CasePath | ConvertFrom-Json -AsHashtable
}

Describe 'configure-rras.ps1 at <site>' -ForEach @(@{ site = $case.site; case = $case }) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'RrasStubs.ps1')
        foreach ($name in $RrasStubCommands) {
            Mock -CommandName $name -MockWith ([scriptblock]::Create("Invoke-RrasStub -Command '$name' -Bound `$PesterBoundParameters"))
        }
        Mock Import-Module -ParameterFilter { $Name -eq 'RemoteAccess' } -MockWith {}
        Mock Start-Sleep -MockWith {}

        $script:keys = @($case.keys)
        $script:peerCount = if ($case.bgp) { @($case.bgp.peers).Count } else { 0 }
        $script:originateCount = if ($case.bgp) { @($case.bgp.originate).Count } else { 0 }

        function Invoke-Configure {
            param([switch] $Transcript)
            $parameters = @{ WaitSeconds = 0 } + $case.parameters
            foreach ($k in $case.env.Keys) { [Environment]::SetEnvironmentVariable($k, $case.env[$k]) }
            $global:LASTEXITCODE = 0
            $log = Join-Path $TestDrive 'transcript.txt'
            if ($Transcript) { Start-Transcript -LiteralPath $log -Force | Out-Null }
            try {
                $output = & $case.script @parameters *>&1 | Out-String
            } finally {
                if ($Transcript) { Stop-Transcript | Out-Null }
                foreach ($k in $case.env.Keys) { [Environment]::SetEnvironmentVariable($k, $null) }
            }
            [pscustomobject]@{ Code = $LASTEXITCODE; Output = $output; Transcript = $(if ($Transcript) { Get-Content -Raw -LiteralPath $log } else { '' }) }
        }

        function Get-RrasSnapshot {
            $global:Rras | ConvertTo-Json -Depth 6 -Compress
        }

        function Assert-Configured {
            $s = $global:Rras
            $s.VpnS2S | Should -BeTrue
            $s.IPsec | Should -Be 'MaximumEncryption'
            @($s.Interfaces.Keys) | Should -Be @($case.interfaces | ForEach-Object { $_.name })
            foreach ($want in $case.interfaces) {
                $i = $s.Interfaces[$want.name]
                $i.Protocol | Should -Be 'IKEv2'
                @($i.Destination) | Should -Be @($want.destination)
                @($i.IPv4Subnet) | Should -Be @($want.ipv4Subnet)
                @($i.IPv6Subnet) | Should -Be @($want.ipv6Subnet)
                $i.AuthenticationMethod | Should -Be 'PSKOnly'
                $i.ResponderAuthenticationMethod | Should -Be 'PSKOnly'
                $i.SharedSecret | Should -BeExactly $want.sharedSecret
                $i.Persistent | Should -BeTrue
                $i.InitiateConfigPayload | Should -BeFalse
                $i.ConnectionState | Should -Be 'Connected'
                $i.CustomPolicy | Should -Be ($null -ne $want.policy)
                if ($want.policy) { foreach ($k in $want.policy.Keys) { $i.Policy[$k] | Should -Be "$($want.policy[$k])" -Because $k } }
            }
            if ($case.bgp) {
                $s.Router.BgpIdentifier | Should -Be $case.bgp.identifier
                "$($s.Router.LocalASN)" | Should -Be "$($case.bgp.asn)"
                @($s.Peers.Keys) | Should -Be @($case.bgp.peers | ForEach-Object { $_.name })
                foreach ($want in $case.bgp.peers) {
                    $p = $s.Peers[$want.name]
                    $p.PeerIPAddress | Should -Be $want.peerIp
                    $p.LocalIPAddress | Should -Be $case.bgp.localIp
                    $p.PeerASN | Should -Be "$($want.peerAsn)"
                    $p.Weight | Should -Be "$($want.weight)"
                    $p.OperationMode | Should -Be 'Mixed'
                }
                @($s.CustomRoutes) | Should -Be @($case.bgp.originate)
            } else {
                $s.Router | Should -BeNullOrEmpty
                $s.Peers.Count | Should -Be 0
            }
        }
    }

    BeforeEach {
        Reset-RrasState -Secrets $case.secrets -AzureRoutes $case.azureRoutes
    }

    It 'on a fresh server installs Remote Access and configures every tunnel, BGP and route, and all checks pass' {
        $run = Invoke-Configure
        $run.Code | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'All checks passed\.'
        Assert-Configured
        Should -Invoke Install-WindowsFeature -Times 1 -Exactly
        Should -Invoke Install-RemoteAccess -Times 1 -Exactly -ParameterFilter { $VpnType -eq 'VpnS2S' }
        Should -Invoke Add-VpnS2SInterface -Times $case.interfaces.Count -Exactly -ParameterFilter { $Protocol -eq 'IKEv2' }
        Should -Invoke Disconnect-VpnS2SInterface -Times 0 -Exactly
    }

    It 'stops with exit code 3010 when Windows must restart to finish installing, having changed nothing else' {
        Reset-RrasState -Secrets $case.secrets -AzureRoutes $case.azureRoutes -RestartNeeded $true
        $run = Invoke-Configure
        $run.Code | Should -Be 3010
        $global:Rras.Interfaces.Count | Should -Be 0
        Should -Invoke Install-RemoteAccess -Times 0 -Exactly
        # After the restart, the same script finishes the job.
        $again = Invoke-Configure
        $again.Code | Should -Be 0 -Because $again.Output
        Assert-Configured
    }

    It 'changes nothing on a second run' {
        (Invoke-Configure).Code | Should -Be 0
        $before = Get-RrasSnapshot
        $run = Invoke-Configure
        $run.Code | Should -Be 0 -Because $run.Output
        Get-RrasSnapshot | Should -BeExactly $before
        Should -Invoke Add-VpnS2SInterface -Times $case.interfaces.Count -Exactly
        Should -Invoke Install-WindowsFeature -Times 1 -Exactly
        Should -Invoke Install-RemoteAccess -Times 1 -Exactly
        Should -Invoke Disconnect-VpnS2SInterface -Times 0 -Exactly
        Should -Invoke Add-BgpPeer -Times $peerCount -Exactly
        Should -Invoke Add-BgpCustomRoute -Times $originateCount -Exactly
        Should -Invoke Add-BgpRouter -Times $(if ($case.bgp) { 1 } else { 0 }) -Exactly
    }

    It 'corrects a stale interface (old gateway address, old routes) and a stale BGP peer, reconnecting the tunnel' {
        (Invoke-Configure).Code | Should -Be 0
        $first = $case.interfaces[0].name
        $global:Rras.Interfaces[$first].Destination = @('192.0.2.99')
        $global:Rras.Interfaces[$first].IPv4Subnet = @('10.255.0.0/16:100')
        if ($case.bgp) { $global:Rras.Peers[$case.bgp.peers[0].name].PeerIPAddress = '169.254.0.99' }
        $run = Invoke-Configure
        $run.Code | Should -Be 0 -Because $run.Output
        Assert-Configured
        Should -Invoke Disconnect-VpnS2SInterface -Times 1 -Exactly -ParameterFilter { $Name -eq $first }
        Should -Invoke Set-VpnS2SInterface -ParameterFilter { $Name -eq $first }
    }

    It 'says FAIL for a route toward Azure that never arrives, names it, and exits 1' -Skip:(@($case.azureRoutes).Count -eq 0) {
        $missing = @($case.azureRoutes)[-1]
        Reset-RrasState -Secrets $case.secrets -AzureRoutes $case.azureRoutes -MissingRoutes @($missing)
        $run = Invoke-Configure
        $run.Code | Should -Be 1 -Because $run.Output
        $run.Output | Should -Match "FAIL route to $([regex]::Escape($missing)) toward Azure"
        $run.Output | Should -Match '(?m)^1 check\(s\) failed\.'
        foreach ($route in @($case.azureRoutes) | Where-Object { $_ -ne $missing }) {
            $run.Output | Should -Match "PASS route to $([regex]::Escape($route)) toward Azure"
        }
    }

    It 'reads each key from its source at run time and never shows it in any output stream, the transcript or a file' {
        $run = Invoke-Configure -Transcript
        $run.Code | Should -Be 0 -Because $run.Output
        foreach ($key in $script:keys) {
            $run.Output | Should -Not -BeLike "*$key*"
            $run.Transcript | Should -Not -BeLike "*$key*"
            foreach ($file in Get-ChildItem -LiteralPath $TestDrive, (Split-Path $case.script) -File -Recurse) {
                Get-Content -Raw -LiteralPath $file.FullName | Should -Not -BeLike "*$key*" -Because $file.FullName
            }
        }
        foreach ($source in $case.keySources) {
            switch ($source.kind) {
                'aws' { Should -Invoke Get-SECSecretValue -ParameterFilter { $SecretId -eq $source.id } }
                'ssm' { Should -Invoke Get-SSMParameter -ParameterFilter { $Name -eq $source.id -and $WithDecryption } }
                'kv' { Should -Invoke Get-AzKeyVaultSecret -ParameterFilter { "$VaultName/$Name" -eq $source.id -and $AsPlainText } }
            }
        }
    }
}
