/**
 * How the command line reaches Azure, shared by `deploy`, `verify azure` and `import azure`:
 * which cloud (its Resource Manager endpoint, the token's audience, where sign-in happens), the
 * subscription, the credential, and the options every Azure SDK client gets.
 *
 * - The cloud is `--cloud`, else the topology's `azure.cloud`; `--arm-endpoint` (or
 *   AZURE_RESOURCE_MANAGER_ENDPOINT) names a custom Resource Manager (Azure Stack Hub), whose
 *   token audience and sign-in host come from its metadata endpoint, as `az cloud register` reads
 *   them. The credential follows AZURE_AUTHORITY_HOST when set, as the Azure SDK does.
 * - The subscription is `--subscription`, else AZURE_SUBSCRIPTION_ID, else the Azure CLI's
 *   default account (`az account show`), as az itself does.
 * - Every client's pipeline refuses to send a request (and so the bearer token) to any host but
 *   the Resource Manager it was given, reads no answer larger than 64 MiB, and gives up polling a
 *   long-running operation after the deadline the command sets.
 */
import { execFile } from 'node:child_process';
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { AZURE_CLOUD_TABLE, AZURE_CLOUDS, type AzureCloudName } from '@hybridnet/model';
import { InputError } from './pipeline.ts';
import { azureText } from './present.ts';

export interface AzureTarget {
  /** The cloud's name, or `custom` for an endpoint given by hand. */
  readonly cloud: AzureCloudName | 'custom';
  readonly endpoint: string;
  /** The token scope Resource Manager takes. */
  readonly scope: string;
  readonly authorityHost: string;
}

/** A problem talking to Azure that is not one of the SDK's own errors (exit 3, like them). */
export class AzureError extends Error {}

const MAX_ANSWER = 64 * 1024 * 1024;

/** The cloud and endpoint to use; a custom endpoint's audience and sign-in host come from its metadata. */
export async function resolveAzureTarget(flags: { cloud?: string; armEndpoint?: string }, topologyCloud: AzureCloudName, environment: Readonly<Record<string, string | undefined>>): Promise<AzureTarget> {
  if (flags.cloud !== undefined && !(AZURE_CLOUDS as readonly string[]).includes(flags.cloud)) throw new InputError(`--cloud takes ${AZURE_CLOUDS.join(', ')}, not "${flags.cloud}"`);
  if (flags.cloud !== undefined && flags.cloud !== topologyCloud) throw new InputError(`the topology is for ${topologyCloud} (azure.cloud), not ${flags.cloud}: change one of them`);
  const custom = flags.armEndpoint ?? environment.AZURE_RESOURCE_MANAGER_ENDPOINT;
  if (custom === undefined || custom === '') {
    const facts = AZURE_CLOUD_TABLE[topologyCloud];
    return { cloud: topologyCloud, endpoint: facts.resourceManager, scope: `${facts.resourceManager}/.default`, authorityHost: environment.AZURE_AUTHORITY_HOST || facts.authorityHost };
  }
  let url: URL;
  try {
    url = new URL(custom);
  } catch {
    throw new InputError(`--arm-endpoint takes an https URL, not "${custom}"`);
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) throw new InputError(`--arm-endpoint takes an https URL without credentials, query or fragment, not "${custom}"`);
  const endpoint = url.origin + url.pathname.replace(/\/+$/, '');
  // Azure Stack Hub publishes its sign-in host and token audience here (learn.microsoft.com:
  // azure-stack/user/azure-stack-version-profiles-azurecli2, "metadata/endpoints").
  const metadata = await fetchMetadata(endpoint);
  const audience = metadata?.authentication?.audiences?.[0];
  const login = metadata?.authentication?.loginEndpoint;
  return {
    cloud: 'custom',
    endpoint,
    scope: `${(audience ?? endpoint).replace(/\/+$/, '')}/.default`,
    authorityHost: environment.AZURE_AUTHORITY_HOST || (login ? login.replace(/\/(adfs\/?)?$/, '') : AZURE_CLOUD_TABLE.AzureCloud.authorityHost),
  };
}

interface CloudMetadata {
  readonly authentication?: { readonly loginEndpoint?: string; readonly audiences?: readonly string[] };
}

async function fetchMetadata(endpoint: string): Promise<CloudMetadata | undefined> {
  try {
    const response = await fetch(`${endpoint}/metadata/endpoints?api-version=2015-01-01`, { signal: AbortSignal.timeout(15_000), redirect: 'error' });
    if (!response.ok) return undefined;
    const text = await response.text();
    return text.length > 1_000_000 ? undefined : (JSON.parse(text) as CloudMetadata);
  } catch {
    return undefined;
  }
}

/**
 * The credential, signing in at the cloud's host (AZURE_AUTHORITY_HOST wins, as in the SDK). Each
 * SDK client asks it for a token; one token serves them all until five minutes before it expires
 * (through the Azure CLI, each ask would start `az` again).
 */
export async function azureCredential(target: AzureTarget): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  const credential = new DefaultAzureCredential({ authorityHost: target.authorityHost });
  const tokens = new Map<string, Promise<AccessToken | null>>();
  return {
    getToken(scopes, options) {
      const key = [scopes].flat().join(' ');
      const cached = tokens.get(key);
      const fresh = cached?.then((t) => t !== null && t.expiresOnTimestamp - Date.now() > 5 * 60_000, () => false);
      return (fresh ?? Promise.resolve(false)).then((ok) => {
        if (ok) return cached!;
        const asked = credential.getToken(scopes, options);
        tokens.set(key, asked);
        asked.catch(() => tokens.delete(key));
        return asked;
      });
    },
  };
}

/** `--subscription`, else AZURE_SUBSCRIPTION_ID, else the Azure CLI's default account. */
export async function resolveSubscription(flag: string | undefined, environment: Readonly<Record<string, string | undefined>>): Promise<string> {
  const given = flag ?? environment.AZURE_SUBSCRIPTION_ID;
  if (given !== undefined && given !== '') return checkedSubscription(given);
  const account = await new Promise<string | undefined>((resolve) => {
    execFile('az', ['account', 'show', '--output', 'json'], { shell: process.platform === 'win32', timeout: 30_000, maxBuffer: 1 << 20 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
  const id = account === undefined ? undefined : ((): string | undefined => {
    try {
      return (JSON.parse(account) as { id?: string }).id;
    } catch {
      return undefined;
    }
  })();
  if (!id) throw new InputError('no subscription: pass --subscription <id>, set AZURE_SUBSCRIPTION_ID, or choose a default with az account set --subscription <id>');
  return checkedSubscription(id);
}

function checkedSubscription(id: string): string {
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(id)) throw new InputError(`a subscription id is a GUID (00000000-0000-0000-0000-000000000000), not "${id}"`);
  return id;
}

/**
 * Options for every Azure SDK client: the endpoint and token scope of the target (in the shapes of
 * both client generations), and the policies that keep the token on its host and answers bounded.
 * HYBRIDNET_TEST_POLL_MS (tests only) polls at that interval whatever Retry-After says.
 */
export function clientOptions(target: AzureTarget, environment: Readonly<Record<string, string | undefined>>) {
  const host = new URL(target.endpoint).host;
  const pin: PipelinePolicy = {
    name: 'hybridnetResourceManagerOnly',
    async sendRequest(request, next) {
      const to = new URL(request.url).host;
      if (to !== host) throw new AzureError(`Azure Resource Manager sent hybridnet to ${to} (for example in a Location header); it sends its sign-in token only to ${host}, so it stopped`);
      const response = await next(request);
      if ((response.bodyAsText?.length ?? 0) > MAX_ANSWER) throw new AzureError(`Azure answered ${request.method} ${new URL(request.url).pathname} with more than 64 MiB; hybridnet reads no answer that large`);
      return response;
    },
  };
  const testPoll = environment.HYBRIDNET_TEST_POLL_MS;
  const fastPolls: PipelinePolicy[] = testPoll
    ? [{
        name: 'hybridnetTestPolling',
        async sendRequest(request, next) {
          const response = await next(request);
          if (response.headers.has('retry-after')) response.headers.set('retry-after', '0');
          return response;
        },
      }]
    : [];
  return {
    endpoint: target.endpoint,
    $host: target.endpoint,
    credentialScopes: [target.scope],
    credentials: { scopes: [target.scope] },
    additionalPolicies: [pin, ...fastPolls].map((policy) => ({ policy, position: 'perCall' as const })),
  };
}

/** An HTTP answer from Azure (a refusal of this read), not a failure to ask at all (no sign-in, no network, sent elsewhere). */
export function isAzureAnswer(error: unknown): boolean {
  const e = error as { name?: string; statusCode?: number };
  return e?.name === 'RestError' && typeof e.statusCode === 'number';
}

/** Azure's answer to a read it refused, on one line: status, code and the first line of its message, made safe to print. */
export function azureAnswerText(error: unknown): string {
  const e = error as { statusCode?: number; code?: string; message?: string };
  return azureText(`${e.statusCode ? `${e.statusCode} ` : ''}${e.code ? `${e.code}: ` : ''}${(e.message ?? String(error)).split('\n')[0]}`);
}

/** How often a long-running operation is polled when Azure gives no Retry-After. */
export const pollInterval = (environment: Readonly<Record<string, string | undefined>>): number => Number(environment.HYBRIDNET_TEST_POLL_MS) || 10_000;
