/** A small valid topology the loader tests mutate, one problem at a time. */
export const MINIMAL = `hybridnet: 1
name: minimal
azure:
  location: westeurope
  resourceGroups:
    network: rg-minimal
  vnets:
    - name: vnet-hub
      addressSpace: [10.0.0.0/16]
      subnets:
        - name: GatewaySubnet
          prefix: 10.0.255.0/27
        - name: workload
          prefix: 10.0.1.0/24
      vpnGateway:
        name: vgw-hub
        sku: VpnGw1AZ
sites:
  - name: branch
    lan: [10.1.0.0/16]
    device:
      type: rras
      publicIp: 203.0.113.10
      privateIp: 10.1.0.4
connections:
  - name: hub-to-branch
    type: site-to-site
    gateway: vgw-hub
    site: branch
    sharedKey:
      env: HUB_BRANCH_PSK
`;

/** Replaces exactly one occurrence of `from`, so a test fails loudly when the base text drifts. */
export function mutate(base: string, from: string, to: string): string {
  const at = base.indexOf(from);
  if (at < 0 || base.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" must occur exactly once`);
  return base.slice(0, at) + to + base.slice(at + from.length);
}
