/**
 * Building blocks shared by the topology schema: names, prefixes, addresses, ASNs and secret
 * references. Each carries a description (it ends up in the JSON Schema editors use) and, where
 * a plain type is not enough, a refinement whose diagnostic code travels in `params.code`.
 */
import { z } from 'zod';
import { parseIp, parsePrefix } from '../cidr.ts';

/** Message of the union error raised when a secret is written literally; the loader maps it to its code. */
/**
 * A string matching `pattern`. A refinement rather than `.regex()` so the diagnostic code
 * travels with the issue; the pattern still reaches the JSON Schema through `meta`.
 */
export function matching(pattern: RegExp, message: string, code: 'invalid-name' | 'invalid-value' | 'invalid-region' = 'invalid-value') {
  return z
    .string()
    .refine((text) => pattern.test(text), { error: message, params: { code } })
    .meta({ pattern: pattern.source });
}

/** A whole number in [min, max], reported with `code` when it is not. */
export function wholeNumber(min: number, max: number, message: string, code: 'out-of-range' | 'invalid-asn' = 'out-of-range') {
  return z
    .number()
    .refine((n) => Number.isInteger(n) && n >= min && n <= max, { error: message, params: { code } })
    .meta({ type: 'integer', minimum: min, maximum: max });
}

/** Message of the union error raised when a secret is written literally; the loader maps it to its code. */
export const LITERAL_SECRET_MESSAGE =
  'a secret is written literally; secrets are only referenced (env, keyVault, awsSecretsManager or ssmParameter)';

/** Names of model objects: letters, digits, `-`, `_` and `.`, starting with a letter or digit. */
export const Name = matching(/^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/, 'must be 1-80 characters of letters, digits, "-", "_" or ".", starting with a letter or digit and not ending with "-" or "."', 'invalid-name')
  .describe('Name of the object; other objects refer to it by this name and generated resource names derive from it.');

export const Cidr = z
  .string()
  .superRefine((text, ctx) => {
    const parsed = parsePrefix(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem.message, params: { code: parsed.problem.code, hint: parsed.problem.hint } });
  })
  .describe('IPv4 or IPv6 prefix in CIDR notation, in network form (10.1.0.0/16, 2001:db8:1::/48).');

export const Ipv4Cidr = Cidr.refine((text) => !text.includes(':'), {
  error: 'must be an IPv4 prefix',
  params: { code: 'invalid-cidr' },
}).describe('IPv4 prefix in CIDR notation, in network form (10.1.0.0/16).');

export const IpAddress = z
  .string()
  .superRefine((text, ctx) => {
    const parsed = parseIp(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem.message, params: { code: parsed.problem.code, hint: parsed.problem.hint } });
  })
  .describe('A single IPv4 or IPv6 address (10.1.0.4).');

export const Ipv4Address = IpAddress.refine((text) => !text.includes(':'), {
  error: 'must be an IPv4 address',
  params: { code: 'invalid-ip' },
}).describe('A single IPv4 address (10.1.0.4).');

/** A public IP that is either written down or only known once something else is deployed. */
export const PublicIp = z
  .union([z.literal('after-deploy'), Ipv4Address])
  .describe('The device\'s public IPv4 address, or "after-deploy" when it is only known once its host is deployed (an AWS Elastic IP, an Azure public IP); it then becomes a deployment parameter.');

export const Asn = wholeNumber(1, 4294967294, 'an ASN is a whole number from 1 to 4294967294', 'invalid-asn')
  .describe('BGP autonomous system number.');

export const AzureRegion = matching(/^[a-z][a-z0-9]{2,39}$/, 'an Azure region is lowercase letters and digits, such as westeurope', 'invalid-region')
  .describe('Azure region name as the Azure CLI prints it (westeurope, eastus2).');

export const AwsRegion = matching(/^[a-z]{2}(?:-gov)?-[a-z]+-\d$/, 'an AWS region looks like eu-west-1', 'invalid-region')
  .describe('AWS region code (eu-west-1, us-east-2).');

export const EnvSecret = z
  .strictObject({
    env: matching(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name is letters, digits and "_"', 'invalid-name')
      .describe('Name of the environment variable that holds the secret where the artefact runs.'),
  })
  .describe('Secret read from an environment variable.');

export const KeyVaultSecret = z
  .strictObject({
    keyVault: z
      .strictObject({
        vault: matching(/^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/, 'a Key Vault name is 3-24 letters, digits and "-"', 'invalid-name').describe('Key Vault name.'),
        secret: matching(/^[A-Za-z0-9-]{1,127}$/, 'a Key Vault secret name is letters, digits and "-"', 'invalid-name').describe('Secret name in the vault.'),
        resourceGroup: matching(/^[-\w.()]{0,89}[-\w()]$/, 'does not have the expected form').optional().describe('Resource group of the vault, when templates must reference it (default: the network resource group).'),
      })
      .describe('An Azure Key Vault secret.'),
  })
  .describe('Secret read from Azure Key Vault.');

export const AwsSecretsManagerSecret = z
  .strictObject({
    awsSecretsManager: z
      .strictObject({
        secretId: matching(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'a Secrets Manager secret id is letters, digits and /_+=.@-', 'invalid-name').describe('Name or ARN of the secret.'),
        jsonKey: matching(/^[A-Za-z0-9_.-]{1,128}$/, 'does not have the expected form').optional().describe('Key inside a JSON secret value, when the secret holds several values.'),
      })
      .describe('An AWS Secrets Manager secret.'),
  })
  .describe('Secret read from AWS Secrets Manager.');

export const SsmParameterSecret = z
  .strictObject({
    ssmParameter: z
      .strictObject({
        name: matching(/^\/?[A-Za-z0-9_.\-/]{1,1011}$/, 'an SSM parameter name is letters, digits and _.-/', 'invalid-name').describe('Name of the SecureString parameter.'),
      })
      .describe('An AWS Systems Manager SecureString parameter.'),
  })
  .describe('Secret read from AWS Systems Manager Parameter Store.');

/**
 * A reference to a secret, never the secret itself: generated artefacts read it at deploy or run
 * time (secure parameters, Key Vault, Secrets Manager, environment).
 */
export const SecretRef = z
  .union([EnvSecret, KeyVaultSecret, AwsSecretsManagerSecret, SsmParameterSecret], {
    error: (issue) =>
      typeof issue.input === 'string' || typeof issue.input === 'number'
        ? LITERAL_SECRET_MESSAGE
        : 'a secret reference is one of {env: NAME}, {keyVault: {vault, secret}}, {awsSecretsManager: {secretId}} or {ssmParameter: {name}}',
  })
  .describe('Reference to a secret (pre-shared key, password, key). Literal secrets are rejected.');

export type SecretRef = z.infer<typeof SecretRef>;
