/** Codes the CloudFormation generator raises. */
export const CFN_CODES = {
  'hybridnet/gen-cloudformation/secret-not-readable-in-aws': 'an AWS-hosted RRAS site whose pre-shared key the instance cannot read at boot (use awsSecretsManager or ssmParameter)',
  'hybridnet/gen-cloudformation/device-not-supported': 'an AWS-hosted site whose VPN device CloudFormation cannot stand up here (RRAS is supported)',
} as const;

export type CfnCode = keyof typeof CFN_CODES;
