/**
 * Random valid topologies for whole-pipeline tests: 1-2 hubs with spokes, active-active or not,
 * BGP or static, 1-3 sites (on-premises or in AWS, some dual-stack), a firewall or none; with
 * `intents`, what engineers would ask of such a network (some hold, some do not): each workload
 * reaches each site, a site and a workload of its hub both ways alike, the firewall's way to the
 * partner API, and a spoke kept apart from the other hub's sites.
 */
import fc from 'fast-check';

export const shape = fc.record({
  hubs: fc.integer({ min: 1, max: 2 }),
  spokes: fc.integer({ min: 0, max: 2 }),
  activeActive: fc.boolean(),
  bgp: fc.boolean(),
  sku: fc.constantFrom('VpnGw1AZ', 'VpnGw2AZ', 'VpnGw3AZ'),
  sites: fc.array(fc.record({ aws: fc.boolean(), bgp: fc.boolean(), dual: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  firewall: fc.boolean(),
});

export type Shape = typeof shape extends fc.Arbitrary<infer T> ? T : never;

export function topologyText(s: Shape, options: { intents?: boolean; name?: string } = {}): string {
  const vnets: string[] = [];
  const peerings: string[] = [];
  for (let h = 0; h < s.hubs; h++) {
    vnets.push(`    - name: vnet-hub-${h}
      addressSpace: [10.${h}.0.0/16]
      subnets: [{ name: GatewaySubnet, prefix: 10.${h}.255.0/26 }, { name: workload, prefix: 10.${h}.1.0/24 }${s.firewall && h === 0 ? `, { name: firewall, prefix: 10.0.2.0/24${s.hubs % 2 === 0 ? ', natGateway: nat-firewall' : ''} }` : ''}]
      vpnGateway: { name: vgw-hub-${h}, sku: ${s.sku}, activeActive: ${s.activeActive}${s.bgp ? ', bgp: { asn: 65515 }' : ''} }`);
    for (let k = 0; k < s.spokes; k++) {
      vnets.push(`    - { name: vnet-spoke-${h}-${k}, addressSpace: [10.${20 + h * 4 + k}.0.0/16], subnets: [{ name: app, prefix: 10.${20 + h * 4 + k}.1.0/24 }] }`);
      peerings.push(`    - { name: peer-${h}-${k}, vnets: [vnet-hub-${h}, vnet-spoke-${h}-${k}], gatewayTransitFrom: vnet-hub-${h} }`);
    }
  }
  const sites = s.sites.map((site, i) => {
    const lan = `172.16.${i}.0/24`;
    const lans = site.dual ? `${lan}, fd00:${i + 1}::/48` : lan;
    const bgp = s.bgp && site.bgp ? `, bgp: { asn: ${65100 + i}, peerIp: 172.16.${i}.10, advertise: [${lans}] }` : '';
    const hosting = site.aws ? `, hosting: { type: aws, region: eu-west-1, vpcCidr: ${lan}, subnetCidr: ${lan}, adminCidr: 198.51.100.7/32 }` : '';
    return `  - { name: site-${i}, lan: [${lans}], device: { type: rras, publicIp: ${site.aws ? 'after-deploy' : `203.0.113.${i + 1}`}, privateIp: 172.16.${i}.10 }${bgp}${hosting} }`;
  });
  const connections = s.sites.map((site, i) => `  - { name: conn-${i}, type: site-to-site, gateway: vgw-hub-${i % s.hubs}, site: site-${i}, bgp: ${s.bgp && site.bgp}, sharedKey: ${site.aws ? `{ awsSecretsManager: { secretId: random/psk-${i} } }` : `{ env: PSK_${i} }`} }`); // an EC2 instance reads its key from AWS
  const firewall = s.firewall
    ? `  firewalls:
    - name: fw-hub
      vendor: barracuda-cloudgen
      vnet: vnet-hub-0
      subnet: firewall
      privateIp: 10.0.2.4
      publicIp: ${s.hubs % 2 === 1}   # the way out: a public IP, or the subnet's NAT gateway
      adminPassword: { keyVault: { vault: kv-random, secret: fw-admin } }
      addressGroups:
        - { name: AZURE-NETWORKS, objects: [vnet-hub-0] }
        - { name: SITES, objects: [${s.sites.map((_, i) => `site-${i}`).join(', ')}] }
        - { name: EXTERNAL-API, prefixes: [203.0.113.0/24] }
      rules:
        - { name: SITES-2-EXTERNAL-API, source: [SITES], destination: [EXTERNAL-API], services: [HTTPS] }
        - { name: AZURE-2-EXTERNAL-API, comment: "inspected; 'quoted' $(not run)", source: [AZURE-NETWORKS], destination: [EXTERNAL-API], services: [HTTPS] }
`
    : '';
  const intents = options.intents ? intentsText(s) : '';
  return `hybridnet: 1
name: ${options.name ?? 'random'}
azure:
  location: westeurope
  resourceGroups: { network: rg-random }
  vnets:
${vnets.join('\n')}
${peerings.length > 0 ? `  peerings:\n${peerings.join('\n')}\n` : ''}${firewall}sites:
${sites.join('\n')}
connections:
${connections.join('\n')}
${intents}`;
}

function intentsText(s: Shape): string {
  const lines: string[] = [];
  const workloads = Array.from({ length: s.hubs }, (_, h) => [`vnet-hub-${h}/workload`, ...Array.from({ length: s.spokes }, (_, k) => `vnet-spoke-${h}-${k}/app`)]).flat();
  workloads.forEach((w, i) => lines.push(`  - { name: reach-${i}, kind: reach, from: ${w}, to: [${s.sites.map((_, j) => `site-${j}`).join(', ')}] }`));
  s.sites.forEach((_, j) => lines.push(`  - { name: both-ways-${j}, kind: symmetric, from: site-${j}, to: [vnet-hub-${j % s.hubs}/workload] }`));
  if (s.hubs > 1 && s.sites.length > 1) lines.push(`  - { name: apart, kind: isolate, from: vnet-hub-0/workload, to: [site-1] }`);
  if (s.firewall) lines.push('  - { name: partner-api, kind: reach, from: vnet-hub-0/workload, to: [EXTERNAL-API], via: fw-hub }');
  return `intents:\n${lines.join('\n')}\n`;
}

/** A property's number of runs: all of them, or an eighth (at least 5) under npm run test:quick (HYBRIDNET_QUICK=1). */
export const propertyRuns = (n: number): number => (process.env.HYBRIDNET_QUICK === '1' ? Math.max(5, Math.ceil(n / 8)) : n);
