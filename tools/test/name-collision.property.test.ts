/**
 * Names that differ only in case or punctuation: for random pairs of names given to two VNets,
 * two sites, two connections and two test endpoints, either the validator refuses the topology,
 * or every identifier derived from the names is unique: Bicep symbols, template parameters (ARM
 * compares them without case), output folders (Windows and macOS compare them without case) and
 * the keys of verify.ps1's table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasErrors, parseTopology } from '@hybridnet/model';
import { checkTopology, runGenerators, TARGETS } from '@hybridnet/cli';

const name = fc.stringMatching(/^[a-z][a-zA-Z0-9._-]{0,6}[a-zA-Z0-9]$/);
/** A second name that is often the first one with its case or punctuation changed. */
const pair = name.chain((a) =>
  fc.tuple(
    fc.constant(a),
    fc.oneof(name, fc.constantFrom(a.toUpperCase(), a.replace(/[-._]/g, ''), a.replace(/-/g, '_'), a.replace(/[._]/g, '-'), `${a[0]!.toUpperCase()}${a.slice(1)}`)),
  ),
);

function topology(vnets: [string, string], sites: [string, string], connections: [string, string], endpoints: [string, string]): string {
  return `hybridnet: 1
name: names
azure:
  location: westeurope
  resourceGroups: { network: rg-names }
  vnets:
    - name: hub
      addressSpace: [10.0.0.0/16]
      subnets: [{ name: GatewaySubnet, prefix: 10.0.255.0/27 }, { name: app, prefix: 10.0.1.0/24 }]
      vpnGateway: { name: gw, sku: VpnGw2AZ }
    - { name: "v-${vnets[0]}", addressSpace: [10.1.0.0/16], subnets: [{ name: app, prefix: 10.1.1.0/24 }] }
    - { name: "v-${vnets[1]}", addressSpace: [10.2.0.0/16], subnets: [{ name: app, prefix: 10.2.1.0/24 }] }
sites:
  - { name: "s-${sites[0]}", lan: [10.11.0.0/16], device: { type: rras, publicIp: 203.0.113.11, privateIp: 10.11.0.4 } }
  - { name: "s-${sites[1]}", lan: [10.12.0.0/16], device: { type: rras, publicIp: 203.0.113.12, privateIp: 10.12.0.4 } }
connections:
  - { name: "c-${connections[0]}", type: site-to-site, gateway: gw, site: "s-${sites[0]}", sharedKey: { env: PSK_ONE } }
  - { name: "c-${connections[1]}", type: site-to-site, gateway: gw, site: "s-${sites[1]}", sharedKey: { env: PSK_TWO } }
testEndpoints:
  - { name: "t-${endpoints[0]}", attach: { vnet: hub, subnet: app }, privateIp: 10.0.1.10, os: windows, adminPassword: { env: VM_ONE } }
  - { name: "t-${endpoints[1]}", attach: { site: "s-${sites[1]}" }, privateIp: 10.12.0.20, os: windows, adminPassword: { env: VM_TWO } }
`;
}

const duplicates = (values: readonly string[]) => values.filter((v, i) => values.indexOf(v) !== i);

describe('random name pairs', () => {
  it('never yield two objects with the same derived identifier unless the validator refuses them', async () => {
    let refused = 0;
    let generated = 0;
    await fc.assert(
      fc.asyncProperty(pair, pair, pair, pair, async (vnets, sites, connections, endpoints) => {
        const checked = checkTopology(parseTopology(topology(vnets, sites, connections, endpoints), 'names.yaml'));
        if (hasErrors(checked.diagnostics)) {
          refused++;
          return;
        }
        const { outputs, diagnostics } = await runGenerators(checked, TARGETS.filter((t) => ['bicep', 'rras', 'docs'].includes(t.target)));
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        generated++;
        const files = (target: string) => outputs.find((o) => o.target === target)!.files;
        const bicep = files('bicep').find((f) => f.path === 'main.bicep')!.content + files('bicep').filter((f) => f.path.startsWith('modules/')).map((f) => f.content).join('\n');
        const symbols = [...files('bicep').find((f) => f.path === 'main.bicep')!.content.matchAll(/^(?:resource|module|param|output) (\w+)/gm)].map((m) => m[1]!);
        expect(duplicates(symbols), 'Bicep symbols').toEqual([]);
        expect(bicep.match(/'Microsoft\.Network\/virtualNetworks@/g)).toHaveLength(3);
        const main = files('bicep').find((f) => f.path === 'main.bicep')!.content;
        expect(duplicates([...main.matchAll(/^param (\w+)/gm)].map((m) => m[1]!.toLowerCase())), 'template parameters').toEqual([]);
        expect(duplicates(files('rras').map((f) => f.path.toLowerCase())), 'RRAS folders').toEqual([]);
        expect(files('rras').filter((f) => f.path.endsWith('configure-rras.ps1'))).toHaveLength(2);
        const verify = files('docs').find((f) => f.path === 'verify.ps1')?.content ?? '';
        const keys = [...verify.matchAll(/^ {4}'([^']+)' = @\(/gm)].map((m) => m[1]!.toLowerCase());
        expect(duplicates(keys), 'verify.ps1 keys').toEqual([]);
      }),
      { numRuns: 60, seed: 16 },
    );
    // Both sides of the property were exercised.
    expect(refused).toBeGreaterThan(0);
    expect(generated).toBeGreaterThan(0);
  }, 120_000);
});
