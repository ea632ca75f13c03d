/**
 * `hybridnet import azure` of a large estate: what deploying the large synthetic topology
 * (tools/bench/large-topology.ts: 1,005 VNets with 5,010 subnets, 1,000 peerings, 5 gateways, 200
 * sites and their connections, the spokes spread over 20 resource groups) leaves in Azure, held by the local Resource Manager
 * (tools/test-support/arm-stand-in.ts, lists paged 100 at a time as Resource Manager pages them),
 * read by the command line users run (the bundle, as a process, signed in through the Azure CLI).
 * Timed: the import process from start to exit; the stand-in answers in this process, on the
 * same cores. The imported topology is checked to load with every VNet, subnet and connection.
 *
 *   node --import tsx tools/bench/import.ts   → one JSON line
 */
import { spawn } from 'node:child_process';
import { linkTopology, parseTopology } from '@hybridnet/model';
import { toArmTemplate } from '@hybridnet/gen-bicep';
import { estateStandIn, type AzureResource } from '../test-support/arm-materialise.ts';
import { azureEnvironment, fakeAz, TEST_SUBSCRIPTION } from '../test-support/azure-session.ts';
import { BIN, ensureBundle } from '../test-support/bundle.ts';
import { largeTopology } from './large-topology.ts';

await ensureBundle();
const original = parseTopology(largeTopology(1000, 200, 5), 'large.yaml').topology!;
const { template } = toArmTemplate(original, linkTopology(original).index);
// The spokes spread over 20 resource groups, as teams keep them: every id that names a spoke moves.
const GROUPS = 20;
const spread = (text: string) => text.replace(/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/vnet-spoke-(\d+)/g, (_, n: string) => `resourceGroups/rg-spokes-${Number(n) % GROUPS}/providers/Microsoft.Network/virtualNetworks/vnet-spoke-${n}`);
const { standIn, resources } = await estateStandIn(template, {
  subscription: TEST_SUBSCRIPTION,
  resourceGroup: original.azure.resourceGroups.network,
  location: original.azure.location,
  change: (held) => {
    const moved = [...held.values()].map((r) => JSON.parse(spread(JSON.stringify(r))) as { id: string });
    held.clear();
    for (const r of moved) held.set(r.id.toLowerCase(), r as AzureResource);
  },
});
const env: Record<string, string> = {};
for (const [k, v] of Object.entries({ ...process.env, ...azureEnvironment(standIn, fakeAz()) })) if (v !== undefined) env[k] = v;

const t0 = performance.now();
const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
  const child = spawn(process.execPath, [BIN, 'import', 'azure', '--subscription', TEST_SUBSCRIPTION], { env });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
  child.on('close', (status) => resolve({ code: status, stdout: out, stderr: err }));
});
const ms = performance.now() - t0;
await standIn.close();
if (code !== 0) throw new Error(`import failed (${code}): ${stderr}`);
const imported = parseTopology(stdout, 'imported.yaml');
if (!imported.topology) throw new Error(`the imported topology does not load: ${imported.diagnostics.slice(0, 3).map((d) => d.message).join('; ')}`);
const t = imported.topology;
const subnets = t.azure.vnets.reduce((n, v) => n + v.subnets.length, 0);
const expected = { vnets: original.azure.vnets.length, subnets: original.azure.vnets.reduce((n, v) => n + v.subnets.length, 0), connections: original.connections.length, peerings: original.azure.peerings.length };
const got = { vnets: t.azure.vnets.length, subnets, connections: t.connections.length, peerings: t.azure.peerings.length };
if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`imported ${JSON.stringify(got)}, deployed ${JSON.stringify(expected)}`);
const reads = standIn.requests.filter((r) => r.method === 'GET').length;
if (reads !== standIn.requests.filter((r) => r.operationId !== 'throttled').length) throw new Error('import sent a request that is not a GET');
console.log(JSON.stringify({ ...got, groups: GROUPS + 1, resources: resources.size, requests: standIn.requests.length, bytes: stdout.length, ms: Math.round(ms) }));
