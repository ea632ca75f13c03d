/**
 * `hybridnet init`: a commented starter topology that validates clean, with the line that gives
 * editors the JSON Schema. `minimal` is one hub and one branch; `webapp` and `branch-to-branch`
 * are the bundled examples (webapp-regional, the current way to connect a web app).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STARTERS = ['minimal', 'webapp', 'branch-to-branch'] as const;
export type Starter = (typeof STARTERS)[number];

const SCHEMA_LINE = '# yaml-language-server: $schema=topology.schema.json';

const MINIMAL = `${SCHEMA_LINE}
#
# One Azure hub with a route-based VPN gateway and one branch office whose Windows Server runs
# RRAS. Validate with \`hybridnet validate\`, generate with \`hybridnet generate <file> --out out\`.
hybridnet: 1
name: my-network
description: A hub VNet with a VPN gateway and one branch.

azure:
  location: westeurope
  resourceGroups:
    network: rg-my-network
  vnets:
    - name: vnet-hub
      addressSpace: [10.0.0.0/16]
      subnets:
        - name: GatewaySubnet # the exact name Azure requires; /27 or larger
          prefix: 10.0.255.0/27
        - name: workload
          prefix: 10.0.1.0/24
      vpnGateway:
        name: vgw-hub
        sku: VpnGw2AZ # zone-redundant; Generation2 follows from the SKU

sites:
  - name: branch
    lan: [10.1.0.0/16]
    device:
      type: rras
      publicIp: 203.0.113.10 # the branch router's public address
      privateIp: 10.1.0.4

connections:
  - name: hub-to-branch
    type: site-to-site
    gateway: vgw-hub
    site: branch
    sharedKey:
      env: HUB_BRANCH_PSK # secrets are referenced, never written here
`;

/** The examples folder of the workspace this command line runs from (sources or bundle). */
function examplesFolder(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'examples', 'branch-to-branch', 'topology.yaml'))) return join(dir, 'examples');
  }
  throw new Error('the bundled examples are not beside this command line');
}

export function starterTopology(starter: Starter): string {
  if (starter === 'minimal') return MINIMAL;
  const example = starter === 'webapp' ? 'webapp-regional' : 'branch-to-branch';
  const text = readFileSync(join(examplesFolder(), example, 'topology.yaml'), 'utf8');
  return text.replace(/^# yaml-language-server: \$schema=\S+/, SCHEMA_LINE);
}
