/**
 * A local Azure Resource Manager on 127.0.0.1 that answers as Microsoft documents, not as we
 * expect: every request is routed by `../shared/reference/azure-rest/operations.json` (method and
 * path template, literal segments and names in any letter case) and answered with Microsoft's own
 * example for that operation (never edited; a test that needs other data builds a variant in
 * memory from the sample's body, by operation id, and names the change). Long-running operations
 * follow the asynchronous contract of `ASYNC.md`:
 *
 * - the first answer is the declared one (201 with the resource for a PUT, 202 for a POST), with
 *   `Azure-AsyncOperation` and `Location` as asked (`both` by default, since the service sends
 *   both where the spec declares one and its examples show the other (Azure/azure-cli#4392);
 *   each alone; in any letter case) and `Retry-After`;
 * - the `Azure-AsyncOperation` URL answers 200 with a status document (`InProgress`, then
 *   `Succeeded`, or `Failed` with Azure's error shape), never the result;
 * - the `Location` URL answers 202 without a body while the operation runs, then what the call
 *   would have answered had it been synchronous (the POST's result, which may be a JSON string);
 * - a PUT's resource is read back from its own URL.
 *
 * A few calls hybridnet makes have no operation in the corpus (resource groups, listing Network
 * Watchers, the cloud metadata of a custom endpoint): they are answered here from the REST
 * reference's shapes, flagged `ownShape`, and kept to what the SDK reads. The stand-in holds what is
 * PUT (by resource id, any letter case), so a later GET reads it back.
 *
 * An estate to import: with `listHeld`, every list answers what the stand-in holds (the resources
 * directly under the list's path, in id order, a page at a time with nextLink; a group's generic
 * list gives its top-level resources in the generic shape), and `forbidden` groups and
 * `throttleEvery` make Resource Manager's refusals (403) and throttling (429, Retry-After 0).
 *
 * HTTPS with a throwaway self-signed certificate: the SDK sends bearer tokens over TLS only. Every
 * request is recorded; a request no operation matches is recorded in `unmatched` and answered 404,
 * so a test can require that hybridnet asked nothing Azure does not document.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Microsoft's samples are: `../shared/reference/azure-rest` beside the checkout. */
export const REFERENCE = fileURLToPath(new URL('../../../shared/reference/azure-rest/', import.meta.url));
/** Why the tests that need the samples skip, or undefined when they are here. */
export const referenceMissing = existsSync(join(REFERENCE, 'operations.json')) ? undefined : `Microsoft's samples (${REFERENCE}) are absent: the tests against the local Resource Manager need ../shared beside the checkout`;

/** Whether a suite against the stand-in skips: it does, saying why once, where the samples are absent. */
export function skipWithoutSamples(suite: string): boolean {
  if (!referenceMissing) return false;
  console.warn(`skipped ${suite}: ${referenceMissing}`);
  return true;
}

export interface ArmOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly longRunning: boolean;
  readonly finalStateVia: 'location' | 'azure-async-operation' | 'original-uri' | null;
  readonly responses: readonly string[];
  readonly examples?: readonly string[];
  readonly responseHeaders?: Readonly<Record<string, readonly string[]>>;
  /** Not in the corpus: answered in the REST reference's shape. */
  readonly ownShape?: boolean;
}

/** Calls hybridnet makes that the corpus has no operation for, in the shapes of the REST reference (learn.microsoft.com/rest/api/resources, /network). */
const OWN_OPERATIONS: ArmOperation[] = [
  { operationId: 'ResourceGroups_CheckExistence', method: 'HEAD', path: '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}', longRunning: false, finalStateVia: null, responses: ['204', '404'], ownShape: true },
  { operationId: 'ResourceGroups_Get', method: 'GET', path: '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}', longRunning: false, finalStateVia: null, responses: ['200'], ownShape: true },
  { operationId: 'ResourceGroups_CreateOrUpdate', method: 'PUT', path: '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}', longRunning: false, finalStateVia: null, responses: ['200', '201'], ownShape: true },
  { operationId: 'ResourceGroups_Update', method: 'PATCH', path: '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}', longRunning: false, finalStateVia: null, responses: ['200'], ownShape: true },
  { operationId: 'NetworkWatchers_ListAll', method: 'GET', path: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/networkWatchers', longRunning: false, finalStateVia: null, responses: ['200'], ownShape: true },
  { operationId: 'Metadata_Endpoints', method: 'GET', path: '/metadata/endpoints', longRunning: false, finalStateVia: null, responses: ['200'], ownShape: true },
  // Security groups in force on a NIC, and Network Watcher's IP flow verify: POSTs answered on Location (learn.microsoft.com/rest/api/network/network-interfaces/list-effective-network-security-groups, /network-watcher/network-watchers/verify-ip-flow).
  { operationId: 'NetworkInterfaces_ListEffectiveNetworkSecurityGroups', method: 'POST', path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkInterfaces/{networkInterfaceName}/effectiveNetworkSecurityGroups', longRunning: true, finalStateVia: 'location', responses: ['200', '202'], ownShape: true },
  { operationId: 'NetworkWatchers_VerifyIPFlow', method: 'POST', path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkWatchers/{networkWatcherName}/ipFlowVerify', longRunning: true, finalStateVia: 'location', responses: ['200', '202'], ownShape: true },
  // Listing an estate (hybridnet import azure): resource groups, a group's resources, and each
  // type's list per group (learn.microsoft.com/rest/api/resources/resource-groups/list,
  // /resources/resources/list-by-resource-group, and each type's "List" in /rest/api/network and
  // /rest/api/appservice). Answered from what the stand-in holds; paged by nextLink.
  ...([
    ['ResourceGroups_List', '/subscriptions/{subscriptionId}/resourcegroups'],
    ['Resources_ListByResourceGroup', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/resources'],
    ['NetworkSecurityGroups_List', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkSecurityGroups'],
    ['ExpressRouteCircuits_List', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits'],
    ['VirtualHubs_ListByResourceGroup', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualHubs'],
    ['VirtualHubBgpConnections_List', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualHubs/{virtualHubName}/bgpConnections'],
    ['VirtualHubIpConfiguration_List', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualHubs/{virtualHubName}/ipConfigurations'],
    ['PublicIPAddresses_List', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/publicIPAddresses'],
    ['NatGateways_List', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/natGateways'],
    ['NetworkInterfaces_List', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkInterfaces'],
    ['WebApps_ListByResourceGroup', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Web/sites'],
    ['WebApps_ListVnetConnections', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Web/sites/{name}/virtualNetworkConnections'],
    ['AppServicePlans_ListByResourceGroup', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Web/serverfarms'],
    ['AppServicePlans_ListRoutesForVnet', '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Web/serverfarms/{name}/virtualNetworkConnections/{vnetName}/routes'],
  ] as const).map(([operationId, path]): ArmOperation => ({ operationId, method: 'GET', path, longRunning: false, finalStateVia: null, responses: ['200'], ownShape: true })),
];

/** Lists App Service answers as a bare array, not as a page. */
const ARRAY_LISTS = new Set(['WebApps_ListVnetConnections', 'AppServicePlans_ListRoutesForVnet']);

export interface ArmRequest {
  readonly method: string;
  readonly path: string;
  readonly apiVersion: string | null;
  readonly authorization: string | undefined;
  readonly body: string;
  /** The operation it was routed to; status/result polls are `poll:status` and `poll:result`. */
  readonly operationId: string;
}

export interface RequestContext {
  readonly operation: ArmOperation;
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly query: URLSearchParams;
  /** A deep copy of the sample's success body (undefined when the operation has none). */
  readonly sample: unknown;
  /** What is held at this path, when something was PUT there. */
  readonly held: unknown;
}

/** A variant's answer: a body (200 unless `status`), or a failure in Azure's error shape; undefined keeps the sample. */
export type Answer = { readonly status?: number; readonly body: unknown; readonly contentType?: string } | { readonly error: { readonly status: number; readonly code: string; readonly message: string } };
export type Variant = (context: RequestContext) => Answer | undefined;

export interface StandInOptions {
  /** The headers a long-running operation's first answer carries. */
  readonly asyncHeaders?: 'both' | 'azure-asyncoperation' | 'location';
  /** Their letter case. */
  readonly headerCase?: 'canonical' | 'lower' | 'upper';
  /** How many polls find an operation still running before it ends (default 1). */
  readonly polls?: number;
  /** Retry-After in seconds on every long-running answer (default 1, the floor a client may shorten under test). */
  readonly retryAfter?: number;
  /** Answers other than the sample's, by operation id. */
  readonly variants?: Readonly<Record<string, Variant>>;
  /**
   * Operations whose long-running work ends Failed, by operation id, with Azure's error; for a
   * deployment, `resource` names the template resource whose deployment operation failed.
   */
  readonly failures?: Readonly<Record<string, Failure>>;
  /** Every request is refused with this status (403, 429, 500) in Azure's error shape. */
  readonly refuse?: { readonly status: number; readonly code: string; readonly message: string };
  /** Where the asynchronous operations' URLs point (default: the stand-in itself); a hostile Resource Manager points elsewhere. */
  readonly asyncOrigin?: string;
  /** Resources that exist before the test, by resource id (resource groups included). */
  readonly existing?: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>;
  /** The lists with a sample answer what is held instead (an estate to import); the others always do. */
  readonly listHeld?: boolean;
  /** Entries per page of a list (default 100); the rest follow by nextLink. */
  readonly pageSize?: number;
  /** Resource groups the caller may not read: every request under one is refused 403 AuthorizationFailed. */
  readonly forbidden?: readonly string[];
  /** Every this-many-th request is first refused 429 with Retry-After 0, as Resource Manager throttles. */
  readonly throttleEvery?: number;
}

export interface Failure {
  readonly code: string;
  readonly message: string;
  readonly resource?: { readonly name: string; readonly code: string; readonly message: string };
}

export interface ArmStandIn {
  readonly endpoint: string;
  /** The certificate to trust (NODE_EXTRA_CA_CERTS takes the file). */
  readonly ca: string;
  readonly caFile: string;
  /** Its private key, for a second server with the same certificate. */
  readonly key: string;
  readonly requests: ArmRequest[];
  /** Requests no documented operation matches. */
  readonly unmatched: string[];
  /** What is held, by lower-cased resource id. */
  readonly held: Map<string, unknown>;
  close(): Promise<void>;
}

const operations = (): ArmOperation[] => [...(JSON.parse(readFileSync(join(REFERENCE, 'operations.json'), 'utf8')) as ArmOperation[]), ...OWN_OPERATIONS];

interface Route {
  readonly operation: ArmOperation;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly literals: number;
}

/** A path template as a pattern: literal segments in any letter case, `{name}` one segment. */
function route(operation: ArmOperation): Route {
  const names: string[] = [];
  const segments = operation.path.split('/').filter(Boolean);
  const pattern = segments.map((s) => (/^\{.+\}$/.test(s) ? (names.push(s.slice(1, -1)), '([^/]+)') : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return { operation, pattern: new RegExp(`^/${pattern}$`, 'i'), names, literals: segments.filter((s) => !s.startsWith('{')).length };
}

/** The sample's success body for an operation (200, else 201, else 202), or undefined. */
function sampleBody(operation: ArmOperation): unknown {
  const file = operation.examples?.[0];
  if (!file) return undefined;
  const example = JSON.parse(readFileSync(join(REFERENCE, file), 'utf8')) as { responses: Record<string, { body?: unknown }> };
  for (const status of ['200', '201', '202']) if (example.responses[status]?.body !== undefined) return structuredClone(example.responses[status]!.body);
  return undefined;
}

interface Running {
  readonly operation: ArmOperation;
  readonly resourceId: string;
  polls: number;
  readonly result: Answer;
  readonly failure?: Failure;
}

export async function startArmStandIn(options: StandInOptions = {}): Promise<ArmStandIn> {
  if (referenceMissing) throw new Error(referenceMissing);
  const dir = mkdtempSync(join(tmpdir(), 'hybridnet-arm-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:management.azure.com,DNS:management.usgovcloudapi.net,DNS:management.chinacloudapi.cn'], { stdio: 'ignore' });
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const routes = operations().map(route).sort((a, b) => b.literals - a.literals);
  const requests: ArmRequest[] = [];
  const unmatched: string[] = [];
  const held = new Map<string, unknown>([...(options.existing instanceof Map ? options.existing.entries() : Object.entries(options.existing ?? {}))].map(([id, body]) => [String(id).toLowerCase(), body]));
  const running = new Map<string, Running>();
  /** Each deployment's long-running operation and its template's resources (its deployment operations). */
  const deployments = new Map<string, { readonly opId: string; readonly resources: readonly { readonly type: string; readonly name: string }[] }>();
  const polls = options.polls ?? 1;
  let endpoint = '';

  const header = (name: string) => (options.headerCase === 'lower' ? name.toLowerCase() : options.headerCase === 'upper' ? name.toUpperCase() : name);
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json; charset=utf-8') => {
    const text = body === undefined ? '' : typeof body === 'string' && !contentType.startsWith('application/json') ? body : JSON.stringify(body);
    res.writeHead(status, { ...(text ? { 'content-type': contentType } : {}), 'x-ms-request-id': `req-${requests.length}`, ...headers });
    res.end(text);
  };
  const error = (res: ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } });
  const answer = (res: ServerResponse, a: Answer, fallbackStatus = 200) => ('error' in a ? error(res, a.error.status, a.error.code, a.error.message) : send(res, a.status ?? fallbackStatus, a.body, {}, a.contentType));

  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const log = (operationId: string) => requests.push({ method, path, apiVersion: url.searchParams.get('api-version'), authorization: req.headers.authorization, body: text, operationId });
    if (options.refuse) {
      log('refused');
      return error(res, options.refuse.status, options.refuse.code, options.refuse.message);
    }
    // The asynchronous operation's own URLs.
    const poll = /^\/subscriptions\/[^/]+\/providers\/[^/]+\/locations\/[^/]+\/(operations|operationResults)\/([^/]+)$/i.exec(path);
    if (poll) {
      const op = running.get(poll[2]!);
      log(poll[1] === 'operations' ? 'poll:status' : 'poll:result');
      if (!op) return error(res, 404, 'OperationNotFound', `no operation ${poll[2]}`);
      op.polls++;
      const done = op.polls > polls;
      const retry = { [header('Retry-After')]: String(options.retryAfter ?? 1) };
      if (poll[1] === 'operations') {
        if (!done) return send(res, 200, { id: path, name: poll[2], status: 'InProgress' }, retry);
        if (op.failure) return send(res, 200, { id: path, name: poll[2], status: 'Failed', error: { code: op.failure.code, message: op.failure.message } });
        return send(res, 200, { id: path, name: poll[2], status: 'Succeeded' });
      }
      if (!done) return send(res, 202, undefined, { ...retry, [header('Location')]: `${endpoint}${path}${url.search}` });
      if (op.failure) return error(res, 400, op.failure.code, op.failure.message);
      return answer(res, op.result);
    }
    const found = routes.map((r) => ({ r, m: r.operation.method === method ? r.pattern.exec(path) : null })).find((x) => x.m);
    if (!found) {
      log('unmatched');
      unmatched.push(`${method} ${path}`);
      return error(res, 404, 'NoRegisteredProviderFound', `No documented operation matches ${method} ${path}`);
    }
    const { operation } = found.r;
    if (options.throttleEvery && requests.length % options.throttleEvery === options.throttleEvery - 1) {
      log('throttled');
      return send(res, 429, { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } }, { [header('Retry-After')]: '0' });
    }
    log(operation.operationId);
    const denied = options.forbidden?.find((g) => path.toLowerCase().includes(`/resourcegroups/${g.toLowerCase()}/`) || path.toLowerCase().endsWith(`/resourcegroups/${g.toLowerCase()}`));
    if (denied) return error(res, 403, 'AuthorizationFailed', `The client does not have authorization to perform action over scope '/subscriptions/.../resourceGroups/${denied}' or the scope is invalid.`);
    const params = Object.fromEntries(found.r.names.map((n, i) => [n, decodeURIComponent(found.m![i + 1]!)]));
    const id = path.toLowerCase();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return error(res, 400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    }
    const context: RequestContext = { operation, params, body, query: url.searchParams, sample: sampleBody(operation), held: held.get(id) };
    const variant = options.variants?.[operation.operationId]?.(context);
    if (variant && 'error' in variant) return answer(res, variant);
    const listing = variant ? undefined : listOf(operation, url);
    if (listing) return send(res, 200, listing);
    const result: Answer = variant ?? ownAnswer(operation, context, path) ?? { body: context.sample ?? {} };

    if (!operation.longRunning) {
      if (method === 'PUT' || method === 'PATCH') held.set(id, 'body' in result ? result.body : undefined);
      if (method === 'HEAD') return send(res, 'body' in result && result.status ? result.status : 204, undefined);
      return answer(res, result);
    }
    // Long-running: the declared first answer, and an operation to poll.
    const opId = `op-${running.size + 1}`;
    const failure = options.failures?.[operation.operationId];
    running.set(opId, { operation, resourceId: id, polls: 0, result, ...(failure ? { failure } : {}) });
    if (operation.operationId === 'Deployments_CreateOrUpdate') {
      const resources = (body as { properties?: { template?: { resources?: { type?: string; name?: string }[] } } }).properties?.template?.resources ?? [];
      deployments.set(`${params.resourceGroupName}/${params.deploymentName}`.toLowerCase(), { opId, resources: resources.map((r) => ({ type: String(r.type), name: String(r.name) })) });
    }
    const namespace = /\/providers\/([^/]+)\//i.exec(path)?.[1] ?? 'Microsoft.Resources';
    const subscription = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1] ?? 'none';
    const base = `${options.asyncOrigin ?? endpoint}/subscriptions/${subscription}/providers/${namespace}/locations/westeurope`;
    const version = url.searchParams.get('api-version') ?? '';
    const which = options.asyncHeaders ?? 'both';
    const headers: Record<string, string> = { [header('Retry-After')]: String(options.retryAfter ?? 1) };
    if (which !== 'location') headers[header('Azure-AsyncOperation')] = `${base}/operations/${opId}?api-version=${version}`;
    if (which !== 'azure-asyncoperation') headers[header('Location')] = `${base}/operationResults/${opId}?api-version=${version}`;
    if (method === 'PUT') {
      // The resource as accepted, still provisioning; read back from its own URL once done.
      const accepted = 'body' in result && typeof result.body === 'object' && result.body !== null ? { ...(result.body as object), properties: { ...((result.body as { properties?: object }).properties ?? {}), provisioningState: 'Accepted' } } : result;
      held.set(id, failure ? { ...(accepted as object), properties: { ...(accepted as { properties?: object }).properties, provisioningState: 'Failed' } } : 'body' in result ? result.body : undefined);
      return send(res, operation.responses.includes('201') ? 201 : 200, accepted, headers);
    }
    return send(res, 202, undefined, headers);
  };

  /**
   * A list answered from what is held: the resources directly under the collection's path (a
   * group's resources: its top-level resources, in the generic shape; the subscription's resource
   * groups), in id order, a page at a time with nextLink.
   */
  function listOf(operation: ArmOperation, url: URL): unknown {
    const isList = operation.method === 'GET' && /_List(ByResourceGroup|VnetConnections|RoutesForVnet)?$/.test(operation.operationId) && !/\}$/.test(operation.path);
    if (!isList || (!operation.ownShape && !options.listHeld)) return undefined;
    const collection = url.pathname.toLowerCase();
    const generic = operation.operationId === 'Resources_ListByResourceGroup';
    const base = generic ? `${collection.slice(0, -'/resources'.length)}/providers/` : `${collection}/`;
    const depth = generic ? 3 : 1;
    const entries = [...held.entries()].filter(([id]) => id.startsWith(base) && id.slice(base.length).split('/').length === depth).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, body]) => body as Record<string, unknown>);
    const value = generic ? entries.map((r) => Object.fromEntries(['id', 'name', 'type', 'location', 'sku', 'kind', 'plan', 'tags', 'zones'].filter((k) => r[k] !== undefined).map((k) => [k, r[k]]))) : entries;
    if (ARRAY_LISTS.has(operation.operationId)) return value;
    const size = options.pageSize ?? 100;
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const next = new URLSearchParams(url.searchParams);
    next.set('$skiptoken', String(skip + size));
    return { value: value.slice(skip, skip + size), ...(skip + size < value.length ? { nextLink: `${endpoint}${url.pathname}?${next}` } : {}) };
  }

  /** The answers of the operations that have no sample, and the read-back of what was PUT. */
  function ownAnswer(operation: ArmOperation, context: RequestContext, path: string): Answer | undefined {
    const held = context.held;
    switch (operation.operationId) {
      case 'ResourceGroups_CheckExistence':
        return { status: held ? 204 : 404, body: undefined };
      case 'ResourceGroups_Get':
        return held ? { body: held } : { error: { status: 404, code: 'ResourceGroupNotFound', message: `Resource group '${context.params.resourceGroupName}' could not be found.` } };
      case 'ResourceGroups_CreateOrUpdate': {
        const given = context.body as { location?: string; tags?: Record<string, string> };
        return { status: held ? 200 : 201, body: { id: path, name: context.params.resourceGroupName, type: 'Microsoft.Resources/resourceGroups', location: given.location, ...(given.tags ? { tags: given.tags } : {}), properties: { provisioningState: 'Succeeded' } } };
      }
      case 'ResourceGroups_Update': {
        if (!held) return { error: { status: 404, code: 'ResourceGroupNotFound', message: `Resource group '${context.params.resourceGroupName}' could not be found.` } };
        const given = context.body as { tags?: Record<string, string> };
        return { body: { ...(held as object), ...(given.tags ? { tags: given.tags } : {}) } };
      }
      case 'DeploymentOperations_List': {
        // One operation per resource of the submitted template, running until the deployment ends.
        const deployment = deployments.get(`${context.params.resourceGroupName}/${context.params.deploymentName}`.toLowerCase());
        if (!deployment) return { error: { status: 404, code: 'DeploymentNotFound', message: `Deployment '${context.params.deploymentName}' could not be found.` } };
        const op = running.get(deployment.opId)!;
        const value = deployment.resources.map((r, i) => {
          const failed = op.polls > polls && op.failure?.resource?.name === r.name;
          const state = op.polls <= polls ? (i === 0 ? 'Succeeded' : 'Running') : failed ? 'Failed' : 'Succeeded';
          const statusMessage = failed ? { error: { code: op.failure!.resource!.code, message: op.failure!.resource!.message } } : undefined;
          return { id: `${path}/${i + 1}`, operationId: String(i + 1), properties: { provisioningState: state, targetResource: { resourceType: r.type, resourceName: r.name }, ...(statusMessage ? { statusMessage } : {}) } };
        });
        return { body: { value } };
      }
      case 'NetworkWatchers_ListAll':
        return { body: { value: [] } };
      case 'Metadata_Endpoints':
        return { error: { status: 404, code: 'NotFound', message: 'no metadata' } };
      default:
        // A resource read back: what was PUT there, provisioned.
        if (operation.method === 'GET' && held && typeof held === 'object') return { body: { ...(held as object), properties: { ...((held as { properties?: object }).properties ?? {}), provisioningState: (held as { properties?: { provisioningState?: string } }).properties?.provisioningState === 'Failed' ? 'Failed' : 'Succeeded' } } };
        if (operation.ownShape || operation.examples?.length) return undefined;
        // An operation with no sample in the corpus: the resource the request describes.
        if (operation.method === 'PUT') return { body: { id: path, name: path.split('/').at(-1), ...(context.body as object) } };
        return { error: { status: 404, code: 'ResourceNotFound', message: `The resource '${path}' was not found.` } };
    }
  }

  const server: Server = createServer({ key, cert }, (req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => handle(req, res, text));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    ca: cert,
    caFile: join(dir, 'cert.pem'),
    key,
    requests,
    unmatched,
    held,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
