/**
 * verify.ps1 of both examples, run under Pester (pester/verify.Tests.ps1) with Test-NetConnection
 * faked: each endpoint opens a TCP connection to exactly the pairs its intents name (reach: must open;
 * isolate: must stay closed), or without intents the pairs the route simulation says must work. Without
 * PowerShell and Pester the suite skips with a reason, except under CI.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '@hybridnet/model';
import { reachablePairs } from '@hybridnet/gen-docs';
import { contextIntents, simulateRoutes } from '@hybridnet/validate';
import { PESTER, pwsh, PWSH, skipWithout } from '../../../tools/test-support/vendor-tools.ts';
import { example, file, generateDocs } from './helpers.ts';

const TESTS = fileURLToPath(new URL('./pester/verify.Tests.ps1', import.meta.url));

describe.skipIf(skipWithout('the verify.ps1 Pester suite', { pwsh: PWSH, pester: PESTER }))('verify.ps1 under Pester with Test-NetConnection faked', () => {
  const isolated = example('webapp-hybrid').replace('\nintents:\n', '\nintents:\n  - { name: sites-apart, kind: isolate, from: vm-onprem-azure, to: [ec2-onprem-aws] }\n  - { name: branch-to-backend, kind: reach, from: ec2-onprem-aws, to: [vm-backend], port: 443 }\n  - { name: no-ping-in, kind: isolate, from: ec2-onprem-aws, to: [vm-backend], protocol: icmp }\n');
  const CASES: [string, string][] = [
    ['webapp-hybrid', example('webapp-hybrid')],
    ['branch-to-branch', example('branch-to-branch')],
    ['webapp-hybrid with an isolate intent', isolated],
    ['webapp-hybrid without intents', example('webapp-hybrid').replace(/\nintents:[\s\S]*$/, '\n')],
  ];
  it.each(CASES)('%s: each endpoint probes exactly the pairs it must, over TCP or by ping', async (_, text) => {
    expect(PWSH, 'CI must have PowerShell and Pester (tools/vendor-tools/install.sh)').toBeDefined();
    const result = await generateDocs(text);
    const script = result.files.find((f) => f.path === 'verify.ps1');
    const loaded = parseTopology(text, 'topology.yaml');
    const pairs = reachablePairs(loaded.topology!, loaded.index!, simulateRoutes(loaded.topology!, loaded.index!).sets, contextIntents(loaded.topology!, loaded.index!));
    if (!script) {
      expect(pairs).toEqual([]);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'hybridnet-verify-'));
    writeFileSync(join(dir, 'verify.ps1'), file(result, 'verify.ps1'));
    const checks: Record<string, { to: string; address: string; protocol: string; port: number; open: boolean }[]> = {};
    for (const p of pairs) (checks[p.from.name] ??= []).push({ to: p.to.name, address: p.to.address, protocol: p.to.protocol, port: p.to.port, open: p.expect });
    expect(Object.keys(checks).length).toBeGreaterThan(0);
    writeFileSync(join(dir, 'case.json'), JSON.stringify({ script: join(dir, 'verify.ps1'), checks }));
    const run = pwsh(
      `Import-Module -Name $args[0] -Force
$config = New-PesterConfiguration
$config.Run.Container = New-PesterContainer -Path $args[1] -Data @{ CasePath = $args[2] }
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
$run = Invoke-Pester -Configuration $config
"PESTER $($run.PassedCount) passed, $($run.FailedCount) failed"`,
      [PESTER!, TESTS, join(dir, 'case.json')],
      { cwd: dir },
    );
    const summary = /PESTER (\d+) passed, (\d+) failed/.exec(run.stdout);
    expect(summary, `${run.stdout}\n${run.stderr}`).not.toBeNull();
    expect(Number(summary![2]), run.stdout).toBe(0);
    expect(Number(summary![1])).toBe(Object.keys(checks).length * 3);
  }, 120_000);
});
