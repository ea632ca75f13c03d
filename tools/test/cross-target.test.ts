/**
 * The artefacts of two targets that must agree by construction, checked where both can be read
 * (generators never import each other, so this lives outside them): the AWS stack runs the RRAS
 * script with exactly the parameters that script requires.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '@hybridnet/model';
import { checkTopology, runGenerators, TARGETS } from '@hybridnet/cli';

describe.each(['webapp-hybrid', 'webapp-regional'])('%s: CloudFormation and RRAS', (example) => {
  it('UserData passes exactly the mandatory parameters of the RRAS script', async () => {
    const checked = checkTopology(parseTopology(readFileSync(`examples/${example}/topology.yaml`, 'utf8'), 'topology.yaml'));
    const { outputs } = await runGenerators(checked, TARGETS.filter((t) => t.target === 'cloudformation' || t.target === 'rras'));
    const files = (target: string) => outputs.find((o) => o.target === target)!.files;
    for (const stack of files('cloudformation').filter((f) => f.path.endsWith('/stack.json'))) {
      const site = stack.path.split('/')[0]!;
      const template = JSON.parse(stack.content) as { Resources: Record<string, { Type: string; Properties: { UserData?: { 'Fn::Base64': { 'Fn::Sub': string } | string } } }> };
      const rras = Object.values(template.Resources).find((r) => r.Type === 'AWS::EC2::Instance' && typeof r.Properties.UserData?.['Fn::Base64'] === 'object')!;
      const userData = (rras.Properties.UserData!['Fn::Base64'] as { 'Fn::Sub': string })['Fn::Sub'];
      const splat = userData.split('\n').find((line) => line.startsWith('$arguments = @{'))!;
      const passed = [...splat.matchAll(/([A-Za-z0-9]+) = \$stack\.\1\b/g)].map((m) => m[1]).sort();
      const script = files('rras').find((f) => f.path === `${site}/configure-rras.ps1`)!.content;
      const mandatory = [...script.matchAll(/Mandatory = \$true\)\]\n\s+\[[a-z]+\] \$([A-Za-z0-9]+)/g)].map((m) => m[1]).sort();
      expect(mandatory.length).toBeGreaterThan(0);
      expect(passed).toEqual(mandatory);
    }
  });
});

/** azure.uniqueSuffix: the names Azure holds worldwide get it everywhere an artefact names them, so the targets agree. */
describe('webapp-hybrid with azure.uniqueSuffix', () => {
  it('every artefact names the app and the Key Vault with the suffix, and never without it', async () => {
    const text = readFileSync('examples/webapp-hybrid/topology.yaml', 'utf8').replace('azure:\n', 'azure:\n  uniqueSuffix: x7k2\n');
    const checked = checkTopology(parseTopology(text, 'topology.yaml'));
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { outputs } = await runGenerators(checked, TARGETS);
    const all = outputs.flatMap((o) => o.files.map((f) => ({ path: `${o.target}/${f.path}`, content: f.content })));
    const named = (name: string) => all.filter((f) => f.content.includes(`${name}-x7k2`)).map((f) => f.path);
    // The app in the template, the binding, the Kudu checks; the vault in the parameters, the runbook, the scripts.
    expect(named('app-webapp-hybrid')).toEqual(expect.arrayContaining(['bicep/main.json', 'docs/DEPLOY.md', 'docs/verify-azure.sh']));
    expect(named('kv-webapp-hybrid')).toEqual(expect.arrayContaining(['bicep/main.bicepparam', 'docs/DEPLOY.md']));
    for (const f of all) {
      expect(f.content.match(/app-webapp-hybrid(?!-x7k2)/g) ?? [], f.path).toEqual([]);
      expect(f.content.match(/kv-webapp-hybrid(?!-x7k2)/g) ?? [], f.path).toEqual([]);
    }
  });
});
