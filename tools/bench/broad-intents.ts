/**
 * Topologies of about 1 MB whose intents span wide ranges, the worst case for the data plane:
 * each flow is a pair of pieces (source and destination cut where the routing differs), so a /5
 * over many subnets and site LANs is thousands of flows per target.
 *
 * - `repeated`: one hub (60 subnets, 40 sites) and broad intents that repeat four sources
 *   and targets until the file is 1 MB (each question answered once).
 * - `distinct`: the same network; every intent and target a different prefix, until 1 MB (the
 *   flow budget runs out and the rest is reported).
 * - `large`: the large topology (1,000 spokes, 500 sites; large-topology.ts), a test machine in
 *   each spoke, and broad intents from the spokes' /12s to the sites' /12 up to 1 MB.
 *
 *   node --import tsx tools/bench/broad-intents.ts repeated > broad.yaml
 */
import { largeTopology } from './large-topology.ts';

export const SHAPES = ['repeated', 'distinct', 'large'] as const;
export type Shape = (typeof SHAPES)[number];
const MB = 1 << 20;

function hub(): string[] {
  const lines = ['hybridnet: 1', 'name: broad', 'azure:', '  location: westeurope', '  resourceGroups: { network: rg }', '  vnets:', '    - name: hub', '      addressSpace: [10.0.0.0/16]', '      subnets:', '        - { name: GatewaySubnet, prefix: 10.0.255.0/27 }'];
  for (let i = 0; i < 60; i++) lines.push(`        - { name: s${i}, prefix: 10.0.${i}.0/24 }`);
  lines.push('      vpnGateway: { name: gw, sku: VpnGw4AZ }', 'sites:');
  for (let i = 0; i < 40; i++) lines.push(`  - { name: site${i}, lan: [10.${100 + i}.0.0/16, 10.${200 + (i % 50)}.${i}.0/24], device: { type: rras, publicIp: 203.0.113.${i + 1}, privateIp: 10.${100 + i}.0.4 } }`);
  lines.push('connections:');
  for (let i = 0; i < 40; i++) lines.push(`  - { name: c${i}, type: site-to-site, gateway: gw, site: site${i}, sharedKey: { env: PSK } }`);
  return lines;
}

/** Appends intents made by `intent(i)` until the text reaches 1 MB. */
function fill(head: string, intent: (i: number) => string): string {
  const lines = [head.trimEnd(), 'intents:'];
  let size = head.length + 9;
  for (let i = 0; ; i++) {
    const line = intent(i);
    if (size + line.length + 1 > MB) break;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

/** The network around a.b.0.0 of that length (host bits cleared), as text. */
function net(a: number, b: number, length: number): string {
  const value = ((a << 24) | (b << 16)) >>> 0;
  const masked = length === 0 ? 0 : (value & (0xffffffff << (32 - length))) >>> 0;
  return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${length}`;
}

export function broadIntents(shape: Shape): string {
  const kinds = ['reach', 'symmetric', 'isolate'];
  if (shape === 'repeated') {
    const wide = ['10.0.0.0/8', '10.0.0.0/7', '8.0.0.0/6', '8.0.0.0/5'];
    return fill(hub().join('\n'), (i) => `  - { name: i${i}, kind: ${kinds[i % 3]}, from: ${wide[i % 4]}, to: [${wide[(i + 1) % 4]}, ${wide[(i + 2) % 4]}] }`);
  }
  if (shape === 'distinct') {
    return fill(hub().join('\n'), (i) => `  - { name: i${i}, kind: ${kinds[i % 3]}, from: 10.0.${i % 60}.0/24, to: [${[0, 1, 2, 3].map((j) => net(10, 100 + ((i + j) % 40), 16 - ((i * 3 + j) % 9))).join(', ')}] }`);
  }
  // The spokes sit in 10.16.0.0/12 and up, the sites in 172.16.0.0/14.
  const endpoints = Array.from({ length: 1000 }, (_, i) => `- { name: vm-${i}, attach: { vnet: vnet-spoke-${i}, subnet: subnet-0 }, privateIp: 10.${16 + (i >> 4)}.${(i & 15) << 4}.10, adminPassword: { env: TEST_VM_PASSWORD } }`);
  return fill(`${largeTopology(1000, 500, 5)}testEndpoints:\n${endpoints.join('\n')}\n`, (i) => `- { name: i${i}, kind: ${kinds[i % 3]}, from: ${net(10, 16 + (i % 64), 12 + (i % 8))}, to: [${net(172, 16, 12 + (i % 10))}, ${net(10, 16 + ((i * 7) % 64), 14 + (i % 6))}] }`);
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(broadIntents((process.argv[2] ?? 'repeated') as Shape));
