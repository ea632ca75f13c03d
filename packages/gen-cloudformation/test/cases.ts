/** The topologies that make this generator raise each of its codes; its tests and the command line's validate test share them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CFN_CODES } from '@hybridnet/gen-cloudformation';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
export const example = (name: string) => readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8');
export const webappText = () => example('webapp-hybrid');

export const RRAS_DEVICE = '      type: rras\n      publicIp: after-deploy # the Elastic IP, known once the AWS stack is up\n      privateIp: 10.20.1.10\n';
/** webapp-hybrid with its AWS site on a virtual private gateway (static routing). */
export const nativeStatic = () => webappText().replace(RRAS_DEVICE, '      type: aws-vpn-gateway\n');
/** An active-active hub with BGP to a virtual private gateway, per Azure's AWS guide. */
export const nativeBgp = () => `hybridnet: 1
name: aws-native
azure:
  location: westeurope
  resourceGroups: { network: rg-aws-native }
  vnets:
    - name: vnet-hub
      addressSpace: [10.0.0.0/16]
      subnets: [{ name: GatewaySubnet, prefix: 10.0.255.0/27 }]
      vpnGateway:
        name: vgw-hub
        sku: VpnGw2AZ
        activeActive: true
        bgp:
          asn: 65515
          instances: [{ apipa: [169.254.21.2, 169.254.22.2] }, { apipa: [169.254.21.6, 169.254.22.6] }]
sites:
  - name: aws-vpc
    lan: [10.30.0.0/16]
    device: { type: aws-vpn-gateway }
    bgp: { asn: 64512, peerIp: 169.254.21.1, advertise: [10.30.0.0/16] }
    hosting: { type: aws, region: eu-west-1, vpcCidr: 10.30.0.0/16, subnetCidr: 10.30.1.0/24, adminCidr: 198.51.100.7/32 }
connections:
  - { name: hub-to-aws, type: site-to-site, gateway: vgw-hub, site: aws-vpc, bgp: true, sharedKey: { awsSecretsManager: { secretId: net/aws-psk, jsonKey: psk } } }
`;

export const DIAGNOSTIC_CASES: { code: keyof typeof CFN_CODES; text: () => string }[] = [
  { code: 'hybridnet/gen-cloudformation/secret-not-readable-in-aws', text: () => webappText().replace('awsSecretsManager: {secretId: hybridnet/webapp-hybrid/aws-psk}', 'env: WEBAPP_AWS_PSK') },
  { code: 'hybridnet/gen-cloudformation/device-not-supported', text: () => webappText().replace(RRAS_DEVICE, '      type: barracuda\n      publicIp: after-deploy\n') },
  { code: 'hybridnet/gen-cloudformation/aws-bgp-needs-apipa', text: () => nativeBgp().replace('instances: [{ apipa: [169.254.21.2, 169.254.22.2] }, { apipa: [169.254.21.6, 169.254.22.6] }]', 'instances: [{ apipa: [169.254.21.2] }, { apipa: [169.254.21.6] }]') },
];
