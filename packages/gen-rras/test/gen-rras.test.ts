import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '@hybridnet/model';
import { RRAS_CODES } from '@hybridnet/gen-rras';
import { psComment, psString } from '@hybridnet/render';
import { disallowed } from './cmdlets.ts';
import { compareGolden, EXAMPLES, generateExample, generateText } from './helpers.ts';
import { parsePowerShell } from '../../../tools/test-support/powershell.ts';
import { DIAGNOSTIC_CASES } from './cases.ts';

const scripts = (files: { path: string; content: string }[]) => files.filter((f) => f.path.endsWith('.ps1'));

describe.each(['webapp-hybrid', 'branch-to-branch'])('%s', (example) => {
  const result = generateExample(example);

  it('matches the golden files', () => {
    expect(result.diagnostics).toEqual([]);
    expect(compareGolden(new URL(`./scenarios/${example}/expected`, import.meta.url).pathname, result.files)).toEqual([]);
  });

  it('parses with the PowerShell grammar and calls only real cmdlets and parameters', () => {
    for (const file of scripts(result.files)) {
      const parsed = parsePowerShell(file.content);
      expect(parsed.errors, file.path).toEqual([]);
      expect(disallowed(parsed.commands), file.path).toEqual([]);
    }
  });

  it('is ASCII (Windows PowerShell 5.1 reads BOM-less files as ANSI)', () => {
    for (const file of scripts(result.files)) expect(file.content).toMatch(/^[\x09\x0a\x0d\x20-\x7e]*$/);
  });

  it('creates nothing without first looking for it (safe to run again)', () => {
    for (const file of scripts(result.files)) {
      const { commands } = parsePowerShell(file.content);
      const names = commands.map((c) => c.name);
      for (const [add, set, get] of [['Add-VpnS2SInterface', 'Set-VpnS2SInterface', 'Get-VpnS2SInterface'], ['Add-BgpPeer', 'Set-BgpPeer', 'Get-BgpPeer'], ['Add-BgpRouter', 'Set-BgpRouter', 'Get-BgpRouter']] as const) {
        const adds = commands.filter((c) => c.name === add);
        expect(names.filter((n) => n === set).length, `${file.path}: every ${add} has its ${set}`).toBe(adds.length);
        for (const a of adds) expect(commands.some((c) => c.name === get && c.line < a.line), `${file.path}:${a.line} ${add} after ${get}`).toBe(true);
      }
      expect(file.content).toMatch(/if \(\$originated -notcontains \$prefix\)|^(?![\s\S]*Add-BgpCustomRoute)/m);
    }
  });
});

describe('what the scripts configure', () => {
  const webapp = generateExample('webapp-hybrid').files;
  const b2b = generateExample('branch-to-branch').files;
  const text = (files: typeof webapp, path: string) => files.find((f) => f.path === path)!.content;

  it('static site: the Azure VNet and the point-to-site pool are bound to the interface, with the custom policy', () => {
    const script = text(webapp, 'onprem-aws/configure-rras.ps1');
    expect(script).toContain("$routes = @{ IPv4Subnet = @('10.10.0.0/16:100', '172.16.201.0/24:100') }");
    expect(script).toContain('-CustomPolicy -EncryptionMethod AES256 -IntegrityCheckMethod SHA256 -CipherTransformConstants AES256 -AuthenticationTransformConstants SHA256128 -DHGroup Group14 -PfsGroup PFS2048 -SALifeTimeSeconds 27000 -SADataSizeForRenegotiationKilobytes 102400000');
    expect(script).toContain("(Get-SECSecretValue -SecretId 'hybridnet/webapp-hybrid/aws-psk' -Region 'eu-west-1').SecretString");
    expect(parsePowerShell(script).commands.filter((c) => c.name === 'Add-BgpPeer')).toEqual([]);
  });

  it('BGP site: one interface and one peer per gateway instance, host routes only, LAN originated, primary weighted', () => {
    const script = text(b2b, 'branch-rras/configure-rras.ps1');
    const { commands } = parsePowerShell(script);
    expect(commands.filter((c) => c.name === 'Add-VpnS2SInterface')).toHaveLength(2);
    expect(commands.filter((c) => c.name === 'Add-BgpPeer')).toHaveLength(2);
    expect(script).toContain('$routes = @{ IPv4Subnet = @("$($VgwHubInstance0BgpIp.IPAddressToString)/32:100") }');
    expect(script).toMatch(/Add-BgpPeer -Name 'azure-vgw-hub-0' .* -PeerASN 65515 .* -Weight 200\n/);
    expect(script).toMatch(/Add-BgpPeer -Name 'azure-vgw-hub-1' .* -Weight 100\n/);
    expect(script).toContain("foreach ($prefix in @('10.60.0.0/16'))");
    expect(script).toMatch(/foreach \(\$routePrefix in @\([^)]*'10.50.0.0\/16'/);
    expect(script).toContain('Test-Step -What "route to $routePrefix toward Azure"');
  });

  it('routes only IPv4 into a tunnel: a dual-stack VNet\'s IPv6 prefix stays out, since Azure VPN tunnels carry IPv4', () => {
    const script = generateText(`hybridnet: 1
name: dual
azure:
  location: westeurope
  resourceGroups: { network: rg-dual }
  vnets:
    - name: vnet-dual
      addressSpace: [10.30.0.0/16, fd00:30::/48]
      subnets: [{ name: GatewaySubnet, prefix: 10.30.255.0/27 }]
      vpnGateway: { name: vgw-dual, sku: VpnGw2AZ }
sites:
  - { name: branch, lan: [10.31.0.0/16], device: { type: rras, publicIp: 203.0.113.31, privateIp: 10.31.0.4 } }
connections:
  - { name: dual-to-branch, type: site-to-site, gateway: vgw-dual, site: branch, sharedKey: { env: DUAL_PSK } }
`).files.find((f) => f.path.endsWith('.ps1'))!.content;
    expect(script).toContain("$routes = @{ IPv4Subnet = @('10.30.0.0/16:100') }");
    expect(script).not.toContain('fd00:30::');
    expect(script).not.toContain('IPv6Subnet =');
  });

  it('reconnects an existing interface whose gateway address or routes changed, so the change takes effect', () => {
    const script = text(b2b, 'branch-rras/configure-rras.ps1');
    expect(script).toContain("$stale = ((@($existing.Destination) -join ',') -ne ($destination -join ','))");
    expect(script).toMatch(/if \(\$stale -and \$existing\.ConnectionState -eq 'Connected'\) \{\n\s+Write-Output .*\n\s+Disconnect-VpnS2SInterface -Name \$name -Force/);
  });

  it('sites simulated in Azure get no RRAS script', () => {
    expect(webapp.map((f) => f.path).sort()).toEqual(['onprem-aws/README.md', 'onprem-aws/configure-rras.ps1']);
  });
});

describe('secrets and hostile values', () => {
  it('never contains a key given through the environment', () => {
    const secret = 'Zq8-s3cret-value-31337';
    process.env.HUB_BRANCH_RRAS_PSK = secret;
    try {
      for (const file of generateExample('branch-to-branch').files) expect(file.content).not.toContain(secret);
    } finally {
      delete process.env.HUB_BRANCH_RRAS_PSK;
    }
  });

  const hostile = ["'; Remove-Item -Recurse C:\\ ; '", '$(Stop-Computer)', '`n`r backtick', 'line\nbreak', '‘smart’ quotes', '#> <# comment breakers', '${env:PATH}'];

  it.each(hostile)('single-quotes %j into one inert string literal', (value) => {
    const parsed = parsePowerShell(`$x = ${psString(value)}\n`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.commands).toEqual([]);
    expect(parsed.root.descendantsOfType('sub_expression')).toEqual([]);
  });

  it.each(hostile)('keeps %j inside a one-line comment', (value) => {
    const parsed = parsePowerShell(`# ${psComment(value)}\n$y = 1\n`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.commands).toEqual([]);
  });

  it('prints a hostile site description safely in the script and README', () => {
    const text = readFileSync(join(EXAMPLES, 'branch-to-branch', 'topology.yaml'), 'utf8').replace(
      'description: Branch office with Windows Server RRAS peering BGP over two tunnels.',
      `description: ${JSON.stringify("Evil #> '; Remove-Item C:\\ -Recurse; $(Stop-Computer) `n\nnext line <script>")}`,
    );
    const files = generateText(text).files;
    const script = files.find((f) => f.path.endsWith('.ps1'))!.content;
    const parsed = parsePowerShell(script);
    expect(parsed.errors).toEqual([]);
    expect(parsed.commands.map((c) => c.name)).not.toContain('Remove-Item');
    expect(parsed.commands.map((c) => c.name)).not.toContain('Stop-Computer');
    expect(files.find((f) => f.path.endsWith('README.md'))!.content).not.toContain('<script>');
  });

  it.each(["branch'; Remove-Item", 'branch$(x)', 'branch`x', 'bad\nname'])('rejects the site name %j before any script is written', (name) => {
    const text = readFileSync(join(EXAMPLES, 'branch-to-branch', 'topology.yaml'), 'utf8').replace('- name: branch-rras', `- name: ${JSON.stringify(name)}`);
    expect(parseTopology(text, 't.yaml').diagnostics.map((d) => d.code)).toContain('hybridnet/model/invalid-name');
  });
});

describe('every valid topology yields scripts that parse', () => {
  const site = fc.record({
    bgp: fc.boolean(),
    activeActive: fc.boolean(),
    policy: fc.boolean(),
    secret: fc.constantFrom('{ env: SITE_PSK }', '{ keyVault: { vault: kv-net, secret: psk } }', '{ awsSecretsManager: { secretId: net/psk, jsonKey: psk } }', '{ ssmParameter: { name: /net/psk } }'),
    aws: fc.boolean(),
    description: fc.string({ maxLength: 40 }),
    sites: fc.integer({ min: 1, max: 3 }),
  });
  it('holds for random sites, routing modes and secret sources', () => {
    fc.assert(
      fc.property(site, (s) => {
        const sites = Array.from({ length: s.sites }, (_, i) => `
  - name: site-${i}
    description: ${JSON.stringify(s.description)}
    lan: [10.${60 + i}.0.0/16]
    device: { type: rras, publicIp: after-deploy, privateIp: 10.${60 + i}.1.10 }
${s.bgp ? `    bgp: { asn: ${65060 + i}, peerIp: 10.${60 + i}.1.10, advertise: [10.${60 + i}.0.0/16] }\n` : ''}${s.aws ? `    hosting: { type: aws, region: eu-west-1, vpcCidr: 10.${60 + i}.0.0/16, subnetCidr: 10.${60 + i}.1.0/24, adminCidr: 198.51.100.7/32 }\n` : ''}`).join('');
        const connections = Array.from({ length: s.sites }, (_, i) => `
  - name: hub-to-site-${i}
    type: site-to-site
    gateway: vgw-hub
    site: site-${i}
    sharedKey: ${s.secret}
    bgp: ${s.bgp}
${s.policy ? '    ipsecPolicy: { ikeEncryption: AES128, ikeIntegrity: SHA384, dhGroup: ECP256, ipsecEncryption: GCMAES256, ipsecIntegrity: GCMAES256, pfsGroup: ECP256 }\n' : ''}`).join('');
        const topology = `hybridnet: 1
name: random
azure:
  location: westeurope
  resourceGroups: { network: rg-random }
  vnets:
    - name: vnet-hub
      addressSpace: [10.0.0.0/16]
      subnets: [{ name: GatewaySubnet, prefix: 10.0.255.0/27 }]
      vpnGateway: { name: vgw-hub, sku: VpnGw2AZ, activeActive: ${s.activeActive}${s.bgp ? ', bgp: { asn: 65515 }' : ''}, pointToSite: { addressPool: [172.16.0.0/24], tunnelTypes: [IKEv2], authentication: { type: certificate } } }
sites:${sites}
connections:${connections}`;
        const files = generateText(topology).files.filter((f) => f.path.endsWith('.ps1'));
        expect(files).toHaveLength(s.sites);
        for (const file of files) {
          const parsed = parsePowerShell(file.content);
          expect(parsed.errors).toEqual([]);
          expect(disallowed(parsed.commands)).toEqual([]);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('the checkers themselves', () => {
  it('catch a misspelt cmdlet, a parameter the cmdlet lacks, a bad splatted key and a syntax error', () => {
    const parsed = parsePowerShell("Add-VpnS2SInterfce -Name 'a'\nAdd-BgpPeer -Name 'a' -PeerAsn 1 -Wieght 2\n$routes = @{ IPv4Subnets = @() }\nSet-VpnS2SInterface -Name 'a' @routes\nif ($x {\n");
    expect(disallowed(parsed.commands)).toEqual([
      'line 1: unknown command Add-VpnS2SInterfce',
      'line 2: Add-BgpPeer has no parameter -Wieght',
      'line 4: Set-VpnS2SInterface has no parameter -IPv4Subnets',
    ]);
    expect(parsed.errors.length).toBeGreaterThan(0);
  });
});

describe('diagnostics', () => {
  const cases = DIAGNOSTIC_CASES;

  it.each(cases)('$code', ({ code, text }) => {
    const result = generateText(text());
    expect(result.diagnostics.map((d) => d.code)).toContain(code);
    if (result.diagnostics.some((d) => d.severity === 'error')) expect(result.files).toEqual([]);
  });

  it('has a case for every code', () => {
    expect(Object.keys(RRAS_CODES).filter((code) => !cases.some((c) => c.code === code))).toEqual([]);
  });
});
