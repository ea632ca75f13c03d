/** Codes the CloudFormation generator raises. */
export const CFN_CODES = {
  'hybridnet/gen-cloudformation/secret-not-readable-in-aws': 'an AWS-hosted RRAS site whose pre-shared key the instance cannot read at boot (use awsSecretsManager or ssmParameter)',
  'hybridnet/gen-cloudformation/device-not-supported': 'an AWS-hosted site whose VPN device the stack cannot stand up (rras and aws-vpn-gateway can)',
  'hybridnet/gen-cloudformation/aws-bgp-needs-apipa': 'BGP to an AWS virtual private gateway needs two custom APIPA addresses per Azure gateway instance, each the second address of a /30',
} as const;

export type CfnCode = keyof typeof CFN_CODES;
