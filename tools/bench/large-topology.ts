/**
 * A large synthetic topology for benchmarks and scale tests: 1,000 spoke VNets (5,000 subnets,
 * half dual-stack, or all), 5 hub VNets each with a VpnGw5AZ gateway (100 tunnels) and 200 spokes
 * peered through gateway transit, 500 sites (RRAS, every tenth in AWS), one connection each.
 *
 *   node --import tsx tools/bench/large-topology.ts > large.yaml
 */
import { stringify } from 'yaml';

/**
 * `dualStack`: every spoke (not every other one) gets IPv6 address space and /64 subnets.
 * `intents`: that many intents, in turn: a spoke subnet reaches a site of its hub (holds), a site
 * of another hub (fails: hubs do not transit), is isolated from a spoke of another hub (holds),
 * and a site and a spoke of one hub reach each other symmetrically (holds).
 */
export function largeTopology(spokes = 1000, sites = 500, hubs = 5, { dualStack = false, intents = 0 } = {}): string {
  const vnets: unknown[] = [];
  const peerings: unknown[] = [];
  for (let h = 0; h < hubs; h++) {
    vnets.push({
      name: `vnet-hub-${h}`,
      addressSpace: [`10.${h}.0.0/16`],
      subnets: [{ name: 'GatewaySubnet', prefix: `10.${h}.255.0/27` }, { name: 'shared', prefix: `10.${h}.1.0/24` }],
      vpnGateway: { name: `vgw-hub-${h}`, sku: 'VpnGw5AZ' },
    });
  }
  for (let i = 0; i < spokes; i++) {
    const second = 16 + (i >> 4);
    const third = (i & 15) << 4;
    const dual = dualStack || i % 2 === 0;
    vnets.push({
      name: `vnet-spoke-${i}`,
      addressSpace: [`10.${second}.${third}.0/20`, ...(dual ? [`fd00:${i.toString(16)}::/48`] : [])],
      subnets: Array.from({ length: 5 }, (_, s) => ({ name: `subnet-${s}`, prefix: `10.${second}.${third + s}.0/24`, ...(dual ? { ipv6Prefix: `fd00:${i.toString(16)}:0:${s}::/64` } : {}) })),
    });
    peerings.push({ name: `peer-${i}`, vnets: [`vnet-hub-${i % hubs}`, `vnet-spoke-${i}`], gatewayTransitFrom: `vnet-hub-${i % hubs}` });
  }
  const siteList: unknown[] = [];
  const connections: unknown[] = [];
  for (let i = 0; i < sites; i++) {
    const lan = `172.${16 + (i >> 8)}.${i & 255}.0/24`;
    const aws = i % 10 === 0;
    const device = { type: 'rras', publicIp: aws ? 'after-deploy' : `198.18.${i >> 8}.${(i & 255) || 1}`, privateIp: `172.${16 + (i >> 8)}.${i & 255}.10` };
    siteList.push({
      name: `site-${i}`,
      lan: [lan],
      device,
      ...(aws ? { hosting: { type: 'aws', region: 'eu-west-1', vpcCidr: lan, subnetCidr: lan, adminCidr: '198.51.100.7/32' } } : {}),
    });
    connections.push({ name: `conn-${i}`, type: 'site-to-site', gateway: `vgw-hub-${i % hubs}`, site: `site-${i}`, sharedKey: aws ? { awsSecretsManager: { secretId: `psk/${i}` } } : { env: `PSK_${i}` } });
  }
  const intentList = Array.from({ length: intents }, (_, k) => {
    const spoke = (k * 7) % spokes;
    const sameHub = (((k * 13) % Math.floor(sites / hubs)) * hubs + (spoke % hubs)) % sites;
    const otherHub = (sameHub + 1) % sites;
    const subnet = `vnet-spoke-${spoke}/subnet-${k % 5}`;
    switch (k % 4) {
      case 0:
        return { name: `intent-${k}`, kind: 'reach', from: subnet, to: [`site-${sameHub}`] };
      case 1:
        return { name: `intent-${k}`, kind: 'reach', from: subnet, to: [`site-${otherHub}`] };
      case 2:
        return { name: `intent-${k}`, kind: 'isolate', from: subnet, to: [`vnet-spoke-${(spoke + 1) % spokes}/subnet-0`] };
      default:
        return { name: `intent-${k}`, kind: 'symmetric', from: `site-${sameHub}`, to: [subnet] };
    }
  });
  return stringify({ hybridnet: 1, name: 'large', azure: { location: 'westeurope', resourceGroups: { network: 'rg-large' }, vnets, peerings }, sites: siteList, connections, ...(intents > 0 ? { intents: intentList } : {}) }, { lineWidth: 0 });
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(largeTopology());
