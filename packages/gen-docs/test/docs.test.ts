import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareGolden } from '../../../tools/test-support/golden.ts';
import { parsePowerShell } from '../../../tools/test-support/powershell.ts';
import { shellProblems } from '../../../tools/test-support/shell.ts';
import { parsePowerShellFiles, PWSH } from '../../../tools/test-support/vendor-tools.ts';
import { example, file, generateDocs } from './helpers.ts';

describe.each(['webapp-hybrid', 'branch-to-branch', 'webapp-regional'])('%s', (name) => {
  it('matches the golden files, and is the same on a second run', async () => {
    const first = await generateDocs(example(name));
    const second = await generateDocs(example(name));
    expect(second.files).toEqual(first.files);
    expect(compareGolden(fileURLToPath(new URL(`./scenarios/${name}/expected`, import.meta.url)), first.files)).toEqual([]);
  });

  it('verify.ps1 parses with the PowerShell grammar; verify.sh passes sh -n and shellcheck', async () => {
    const result = await generateDocs(example(name));
    expect(parsePowerShell(file(result, 'verify.ps1')).errors).toEqual([]);
    expect(shellProblems(file(result, 'verify.sh'))).toEqual([]);
  });
});

describe('what the documents say', () => {
  it('the diagram has every VNet, gateway, site, tunnel label and the route to the firewall', async () => {
    const svg = file(await generateDocs(example('webapp-hybrid')), 'diagram.svg');
    for (const text of ['VNet vnet-webapp', 'VPN gateway vgw-webapp', 'P2S 172.16.201.0/24', 'CloudGen Firewall fw-webapp', 'site onprem-aws', 'simulated in AWS eu-west-1', 'webapp-to-aws: IPsec IKEv2, static', 'UDR 203.0.113.0/24', 'gateway-required integration (P2S)']) {
      expect(svg).toContain(text);
    }
    const b2b = file(await generateDocs(example('branch-to-branch')), 'diagram.mmd');
    // One tunnel per gateway instance, each with its BGP session; Route Server's iBGP with both gateways.
    expect(b2b).toContain('vgw_vgw_hub_0 ==>|"hub-to-branch-rras: IPsec IKEv2, BGP, weight 200"| site_branch_rras');
    expect(b2b).toContain('vgw_vgw_hub_1 ==>|"hub-to-branch-rras: IPsec IKEv2, BGP, weight 100"| site_branch_rras');
    expect(b2b.match(/-\.-\|"eBGP AS 65515 ↔ AS 65060"\| site_branch_rras/g)).toHaveLength(2);
    expect(b2b).toContain('rs_rs_hub -.-|"iBGP, routes exchanged"| vgw_vgw_hub');
    expect(b2b).toContain('rs_rs_hub -.-|"iBGP, routes exchanged"| ergw_ergw_hub');
    expect(b2b).toContain('ergw_ergw_hub ==>|"hub-to-branch-er: ExpressRoute"| site_branch_er');
    // Gateways sit in GatewaySubnet, Route Server in RouteServerSubnet, the firewall in its subnet.
    expect(b2b).toMatch(/subgraph subnet_vnet_hub_GatewaySubnet\[[^\n]*\n\s+subgraph vgw_vgw_hub\[[^\n]*\n\s+vgw_vgw_hub_0\[/);
    expect(b2b).toMatch(/subgraph subnet_vnet_hub_RouteServerSubnet\[[^\n]*\n\s+rs_rs_hub\[/);
    // A Route Server appliance peer is drawn as a BGP session to its box.
    const peered = example('branch-to-branch').replace('        branchToBranch: true\n', '        branchToBranch: true\n        peers: [{ name: nva-1, peerIp: 10.100.10.4, asn: 65111 }]\n');
    const nva = file(await generateDocs(peered), 'diagram.mmd');
    expect(nva).toContain('peer_rs_hub_nva_1["appliance nva-1<br/>10.100.10.4"]');
    expect(nva).toContain('rs_rs_hub -.-|"eBGP AS 65515 ↔ AS 65111 (nva-1)"| peer_rs_hub_nva_1');
    const webapp = file(await generateDocs(example('webapp-hybrid')), 'diagram.mmd');
    expect(webapp).toMatch(/subgraph subnet_vnet_webapp_frontend\[[^\n]*\n\s+fw_fw_webapp\[/);
  });

  it('the runbook feeds each output into the parameter that takes it', async () => {
    const md = file(await generateDocs(example('branch-to-branch')), 'DEPLOY.md');
    expect(md).toContain(".\\configure-rras.ps1 -VgwHubInstance0PublicIp '<Azure output VgwHubInstance0PublicIp>' -VgwHubInstance0BgpIp '<Azure output VgwHubInstance0BgpIp>' -VgwHubInstance1PublicIp '<Azure output VgwHubInstance1PublicIp>' -VgwHubInstance1BgpIp '<Azure output VgwHubInstance1BgpIp>'");
    expect(md).toContain('| pre-shared key of hub-to-branch-rras | `HUB_BRANCH_RRAS_PSK` | export `HUB_BRANCH_RRAS_PSK` |');
  });

  it('with intents, the verification plan tests exactly them and says which it cannot test; the report shows each flow\'s path', async () => {
    const result = await generateDocs(example('branch-to-branch'));
    const md = file(result, 'VERIFY.md');
    expect(md).toContain('- [ ] intent spoke-to-branches: from vm-spoke-app (10.101.1.10, vnet-spoke-app/app) reach vm-branch-rras (10.60.1.10, site branch-rras) on TCP 3389');
    expect(md).not.toContain('from vm-branch-rras (10.60.1.10, site branch-rras) reach vm-spoke-app');
    expect(md).toContain('Not tested after deploy (validate proves them on the simulated routes only):\n\n- intent branch-to-branch toward branch-rras: no test endpoint or App Service app at its source branch-er: add a test endpoint there\n- intent spoke-to-branches toward branch-er: no test endpoint or address at branch-er: add a test endpoint there, or name a live address as the target (to: \\[a.b.c.d\\])\n');
    const html = file(result, 'report.html');
    expect(html).toMatch(/<td rowspan="2">spoke-to-branches <a class="draw" href="#path-spoke-to-branches">on the diagram<\/a><br><small>reach vm-spoke-app → branch-er, vm-branch-rras<\/small><\/td><td class="verdict">holds<\/td>/);
    expect(html).toContain('<li>gateway ergw-hub [10.50.0.0/16 → ExpressRoute hub-to-branch-er (expressroute hub-to-branch-er)]</li>');
  });

  it('an intent toward an address is tested on the port its firewall rule passes: from a test VM by verify.sh, from the app through Kudu', async () => {
    const t = example('webapp-hybrid').replace('to: [EXTERNAL-API]\n    port: 443\n    via: fw-webapp\n  - name: backend', 'to: [EXTERNAL-API, 203.0.113.10]\n    port: 443\n    via: fw-webapp\n  - name: backend').replace(/(name: backend-to-partner-api[\s\S]*?to: )\[EXTERNAL-API\]/, '$1[203.0.113.10]');
    const result = await generateDocs(t);
    const md = file(result, 'VERIFY.md');
    expect(md).toContain('- [ ] intent backend-to-partner-api: from vm-backend (10.10.2.10, vnet-webapp/backend) reach 203.0.113.10 on TCP 443');
    expect(file(result, 'verify.sh')).toContain("check 'vm-backend' '203.0.113.10' '203.0.113.10' 443 open");
    expect(md).toContain('web app app-webapp-hybrid opens TCP 443 on 203.0.113.10 (intent app-to-partner-api)');
    expect(md).toContain('- intent app-to-partner-api toward EXTERNAL-API: no test endpoint or address at EXTERNAL-API');
    expect(md).not.toContain('intent backend-to-partner-api toward');
  });

  it('an ICMP intent is a ping from a test machine (Windows lets it in once its listener opens ICMP echo); UDP, and ICMP from the web app, are said untestable', async () => {
    const t = example('webapp-hybrid').replace('\nintents:\n', '\nintents:\n  - { name: ping-aws, kind: reach, from: vm-backend, to: [ec2-onprem-aws], protocol: icmp }\n  - { name: dns-aws, kind: reach, from: vm-backend, to: [ec2-onprem-aws], protocol: udp, port: 53 }\n  - { name: app-ping, kind: reach, from: app-webapp-hybrid, to: [ec2-onprem-aws], protocol: icmp }\n');
    const result = await generateDocs(t);
    const md = file(result, 'VERIFY.md');
    expect(md).toContain('- [ ] intent ping-aws: from vm-backend (10.10.2.10, vnet-webapp/backend) reach ec2-onprem-aws (10.20.1.20, site onprem-aws) on ICMP: `sh verify.sh \'vm-backend\'`');
    expect(md).toContain("- [ ] on ec2-onprem-aws: `.\\verify.ps1 -Listen 'ec2-onprem-aws'` (ICMP echo)");
    expect(md).toContain('- intent dns-aws toward ec2-onprem-aws: UDP: the checks see a TCP handshake or an ICMP echo');
    expect(md).toContain("- intent app-ping toward ec2-onprem-aws: ICMP from a web app: App Service's console offers tcpping only");
    expect(file(result, 'verify.sh')).toContain("check 'vm-backend' '10.20.1.20' 'ec2-onprem-aws' icmp open");
    expect(file(result, 'verify.ps1')).toContain("'ec2-onprem-aws' = @('ICMP')");
  });

  it('an isolate intent is a check that must stay closed', async () => {
    const t = example('webapp-hybrid').replace('\nintents:\n', '\nintents:\n  - { name: sites-apart, kind: isolate, from: vm-onprem-azure, to: [ec2-onprem-aws] }\n');
    const result = await generateDocs(t);
    expect(file(result, 'VERIFY.md')).toContain('- [ ] intent sites-apart: from vm-onprem-azure (192.168.1.10, vnet-onprem-sim/workload) never reach ec2-onprem-aws (10.20.1.20, site onprem-aws) on TCP 3389');
    expect(file(result, 'verify.sh')).toContain("check 'vm-onprem-azure' '10.20.1.20' 'ec2-onprem-aws' 3389 closed");
    expect(file(result, 'verify.ps1')).toContain("@{ To = 'ec2-onprem-aws'; Address = '10.20.1.20'; Port = 3389; Open = $false }");
    // verify.sh itself, with nc faked: PASS when the isolated site stays closed, FAIL (exit 1) when it answers.
    const dir = mkdtempSync(join(tmpdir(), 'hybridnet-verify-sh-'));
    writeFileSync(join(dir, 'verify.sh'), file(result, 'verify.sh'));
    writeFileSync(join(dir, 'nc'), '#!/bin/sh\nfor a in $OPEN; do [ "$a" = "$4" ] && exit 0; done\nexit 1\n', { mode: 0o755 });
    const runSh = (open: string) => spawnSync('sh', [join(dir, 'verify.sh'), 'vm-onprem-azure'], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin`, OPEN: open } });
    const closed = runSh('');
    expect([closed.status, closed.stdout]).toEqual([0, 'PASS vm-onprem-azure does not reach ec2-onprem-aws (10.20.1.20 TCP 3389)\n']);
    const leaks = runSh('10.20.1.20');
    expect([leaks.status, leaks.stdout]).toEqual([1, 'FAIL vm-onprem-azure reaches ec2-onprem-aws (10.20.1.20 TCP 3389), which must be closed\n']);
  });

  it('without intents, the verification plan checks both directions, RRAS sessions and what each gateway learns', async () => {
    const md = file(await generateDocs(example('branch-to-branch').replace(/\nintents:[\s\S]*$/, '\n')), 'VERIFY.md');
    expect(md).toContain('from vm-spoke-app (10.101.1.10, vnet-spoke-app/app) reach vm-branch-rras (10.60.1.10, site branch-rras)');
    expect(md).toContain('from vm-branch-rras (10.60.1.10, site branch-rras) reach vm-spoke-app (10.101.1.10, vnet-spoke-app/app)');
    expect(md).toContain("`(Get-BgpPeer -Name 'azure-vgw-hub-1').ConnectivityStatus` is Connected");
    expect(md).toContain('lists `10.60.0.4/32`, `10.60.0.0/16`, `10.50.0.0/16`');
  });

  it('escapes a hostile description in the report', async () => {
    const text = example('branch-to-branch').replace(/^description: >-\n(?: {2}.*\n)+/m, 'description: "<script>alert(1)</script> & <b>bold</b>"\n');
    const html = file(await generateDocs(text), 'report.html');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
  });
});

describe('the commands in DEPLOY.md and VERIFY.md are valid shell and PowerShell, whatever legal names the topology uses', () => {
  /** Every fenced sh block and every inline command span that runs a CLI, and every PowerShell block. */
  const snippets = (markdown: string) => ({
    sh: [
      ...[...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!),
      ...[...markdown.matchAll(/`((?:az|aws|sh|npx) [^`]+)`/g)].map((m) => `${m[1]!}\n`),
    ],
    ps: [...markdown.matchAll(/```powershell\n([\s\S]*?)```/g)].map((m) => m[1]!),
  });
  // Legal in Azure (resource groups take parentheses, periods and underscores) and in the model.
  const hostile = (text: string) => text.replace(/rg-webapp-(?:hybrid|regional)-(\w+)/g, 'rg(net).$1_').replace(/rg-b2b-(\w+)/g, 'rg(b2b).$1_');

  it.each(['webapp-hybrid', 'branch-to-branch', 'webapp-regional'])('%s, with resource groups like rg(net).x_', async (name) => {
    const result = await generateDocs(hostile(example(name)));
    for (const doc of ['DEPLOY.md', 'VERIFY.md']) {
      const { sh, ps } = snippets(file(result, doc));
      expect(sh.length + ps.length, doc).toBeGreaterThan(0);
      for (const snippet of sh) expect(shellProblems(snippet, { bash: true }), `${doc}:\n${snippet}`).toEqual([]);
      // PowerShell's own parser (tree-sitter's grammar cannot read parameter names with digits).
      if (PWSH) {
        const dir = mkdtempSync(join(tmpdir(), 'hybridnet-docps-'));
        const files = ps.map((snippet, i) => (writeFileSync(join(dir, `${i}.ps1`), snippet), join(dir, `${i}.ps1`)));
        expect(parsePowerShellFiles(files), doc).toEqual([]);
      }
    }
    expect(file(result, 'DEPLOY.md') + file(result, 'VERIFY.md')).toContain('rg(');
  });
});
