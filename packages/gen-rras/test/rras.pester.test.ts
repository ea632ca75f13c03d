/**
 * The generated RRAS scripts, run: each configure-rras.ps1 of both examples and of a sample of
 * random topologies runs under Pester (pester/configure-rras.Tests.ps1) against stubs that carry
 * the real RemoteAccess, BGP and ServerManager parameter sets and keep state. One pwsh process
 * runs every case. What RRAS must hold afterwards is worked out here from the script's own plan
 * (toRrasScripts), with a value for every Azure output and a hostile key per connection.
 * Without PowerShell and Pester the suite skips with a reason, except under CI.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseTopology } from '@hybridnet/model';
import { printRras, toRrasScripts, type RrasScript } from '@hybridnet/gen-rras';
import { shape, topologyText } from '../../../tools/test-support/random-topology.ts';
import { PESTER, pwsh, PWSH, skipWithout } from '../../../tools/test-support/vendor-tools.ts';
import { contextFor, EXAMPLES } from './helpers.ts';

const TESTS = fileURLToPath(new URL('./pester/configure-rras.Tests.ps1', import.meta.url));

interface Case {
  site: string;
  script: string;
  parameters: Record<string, string>;
  env: Record<string, string>;
  secrets: Record<string, string>;
  keys: string[];
  keySources: { kind: 'aws' | 'ssm' | 'kv'; id: string }[];
  interfaces: { name: string; destination: string[]; ipv4Subnet: string[]; ipv6Subnet: string[]; sharedSecret: string; policy: Record<string, string | number> | null }[];
  bgp: { identifier: string; localIp: string; asn: number; peers: { name: string; peerIp: string; peerAsn: number; weight: number }[]; originate: string[] } | null;
  azureRoutes: string[];
}

/** The case file for one script: parameter values, key sources and the state RRAS must end in. */
function caseFor(plan: RrasScript, path: string, label: string): Case {
  const parameters: Record<string, string> = {};
  let n = 0;
  for (const p of plan.parameters) {
    if (p.type !== 'ipaddress') continue;
    if (p.mandatory) parameters[p.name] = p.name.endsWith('BgpIp') ? `10.250.${Math.floor(n / 200)}.${(n % 200) + 4}` : `198.51.100.${(n % 200) + 10}`;
    else if (typeof p.default === 'string') parameters[p.name] = p.default;
    n++;
  }
  const env: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  const keySources: Case['keySources'] = [];
  // Keys a shell or a template would mangle: quotes, $( ), backtick, braces.
  const keyOf = new Map(plan.connections.map((c, i) => [c.name, `K3y-${label}-${i}-'q"$(whoami)\`{x}`]));
  for (const c of plan.connections) {
    const key = keyOf.get(c.name)!;
    const s = c.secret;
    if (s.env) env[s.env] = key;
    if (s.keyVault) (secrets[`kv:${s.keyVault.vault}/${s.keyVault.secret}`] = key), keySources.push({ kind: 'kv', id: `${s.keyVault.vault}/${s.keyVault.secret}` });
    if (s.awsSecretsManager) {
      secrets[`aws:${s.awsSecretsManager.secretId}`] = s.awsSecretsManager.jsonKey ? JSON.stringify({ [s.awsSecretsManager.jsonKey]: key }) : key;
      keySources.push({ kind: 'aws', id: s.awsSecretsManager.secretId });
    }
    if (s.ssmParameter) (secrets[`ssm:${s.ssmParameter.name}`] = key), keySources.push({ kind: 'ssm', id: s.ssmParameter.name });
  }
  const value = (parameter: string) => parameters[parameter] ?? (() => { throw new Error(`no value for ${parameter}`); })();
  return {
    site: plan.site,
    script: path,
    parameters,
    env,
    secrets,
    keys: [...keyOf.values()],
    keySources,
    interfaces: plan.tunnels.map((t) => ({
      name: t.interfaceName,
      destination: [value(t.publicIpParameter)],
      ipv4Subnet: t.bgpIpParameter ? [`${value(t.bgpIpParameter)}/32:${t.metric}`] : t.ipv4Routes,
      ipv6Subnet: [],
      sharedSecret: keyOf.get(t.connection)!,
      policy: t.policy
        ? {
            EncryptionMethod: t.policy.encryptionMethod,
            IntegrityCheckMethod: t.policy.integrityCheckMethod,
            CipherTransformConstants: t.policy.cipherTransformConstants,
            AuthenticationTransformConstants: t.policy.authenticationTransformConstants,
            DHGroup: t.policy.dhGroup,
            PfsGroup: t.policy.pfsGroup,
            SALifeTimeSeconds: t.policy.saLifeTimeSeconds,
            SADataSizeForRenegotiationKilobytes: t.policy.saDataSizeKilobytes,
          }
        : null,
    })),
    bgp: plan.bgp
      ? {
          identifier: plan.bgp.identifier,
          localIp: plan.bgp.localAddress,
          asn: plan.bgp.localAsn,
          peers: plan.bgp.peers.map((p) => ({ name: p.name, peerIp: value(p.peerIpParameter), peerAsn: p.peerAsn, weight: p.weight })),
          originate: plan.bgp.advertise,
        }
      : null,
    azureRoutes: plan.expectedRoutes,
  };
}

const topologies: Record<string, string> = {
  'webapp-hybrid': readFileSync(join(EXAMPLES, 'webapp-hybrid', 'topology.yaml'), 'utf8'),
  'branch-to-branch': readFileSync(join(EXAMPLES, 'branch-to-branch', 'topology.yaml'), 'utf8'),
  ...Object.fromEntries(fc.sample(shape, { seed: 7, numRuns: 3 }).map((s, i) => [`random-${i}`, topologyText(s)])),
};

describe.skipIf(skipWithout('the RRAS Pester suite', { pwsh: PWSH, pester: PESTER }))('configure-rras.ps1 under Pester, against stubs with the real cmdlet parameter sets', () => {
  it('every generated RRAS script configures a fresh server, is idempotent, corrects drift and never shows a key', () => {
    expect(PWSH, 'CI must have PowerShell and Pester (tools/vendor-tools/install.sh)').toBeDefined();
    const scratch = mkdtempSync(join(tmpdir(), 'hybridnet-rras-pester-'));
    const cases: string[] = [];
    let withRoutes = 0;
    for (const [label, text] of Object.entries(topologies)) {
      const loaded = parseTopology(text, `${label}.yaml`);
      if (!loaded.topology || !loaded.index) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
      const { scripts, diagnostics } = toRrasScripts(loaded.topology, loaded.index, contextFor(loaded.topology, loaded.index));
      expect(diagnostics.filter((d) => d.severity === 'error'), label).toEqual([]);
      for (const plan of scripts) {
        const dir = join(scratch, label, plan.directory);
        mkdirSync(dir, { recursive: true });
        for (const f of printRras(plan)) writeFileSync(join(scratch, label, f.path), f.content);
        const casePath = join(dir, 'case.json');
        writeFileSync(casePath, JSON.stringify(caseFor(plan, join(dir, 'configure-rras.ps1'), label), null, 2));
        cases.push(casePath);
        if (plan.expectedRoutes.length > 0) withRoutes++;
      }
    }
    expect(cases.length).toBeGreaterThanOrEqual(Object.keys(topologies).length);
    const result = pwsh(
      `Import-Module -Name $args[0] -Force
$containers = foreach ($case in ($args[2..($args.Count - 1)])) { New-PesterContainer -Path $args[1] -Data @{ CasePath = $case } }
$config = New-PesterConfiguration
$config.Run.Container = $containers
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
$run = Invoke-Pester -Configuration $config
$failed = @($run.Tests | Where-Object { $_.Result -ne 'Passed' } | ForEach-Object { "$($_.ExpandedPath): $($_.Result) $($_.ErrorRecord | Out-String)" })
"PESTER $($run.PassedCount) passed, $($run.FailedCount) failed"
$failed`,
      [PESTER!, TESTS, ...cases],
      { cwd: scratch },
    );
    const summary = /PESTER (\d+) passed, (\d+) failed/.exec(result.stdout);
    expect(summary, `${result.stdout}\n${result.stderr}`).not.toBeNull();
    expect(Number(summary![2]), result.stdout.slice(result.stdout.indexOf('PESTER'))).toBe(0);
    // Five tests per script, and one more where the script checks routes toward Azure.
    expect(Number(summary![1])).toBe(cases.length * 5 + withRoutes);
    expect(withRoutes).toBeGreaterThan(0);
  }, 300_000);
});
