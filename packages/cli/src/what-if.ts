/**
 * What-if, printed as Azure's own what-if and `terraform plan` print it: per scope, each resource
 * with its symbol (+ create, - delete, ~ modify, = no change, * ignore, ! deploy, x unsupported),
 * and for a change its properties: `+ path: value` created, `- path: value` removed,
 * `~ path: old => new` modified, arrays element by element. A value under a secret-looking
 * name is never shown. Pure: changes in, text out.
 */
import { createColors } from 'picocolors';
import { printable } from '@hybridnet/model';
import type { WhatIfChange, WhatIfPropertyChange } from '@azure/arm-resourcesdeployments';

const SYMBOL: Record<WhatIfChange['changeType'], string> = { Create: '+', Delete: '-', Modify: '~', NoChange: '=', Ignore: '*', Deploy: '!', Unsupported: 'x' };
const PROPERTY_SYMBOL: Record<WhatIfPropertyChange['propertyChangeType'], string> = { Create: '+', Delete: '-', Modify: '~', Array: '~', NoEffect: 'x' };
/** Order of the summary, as Azure's. */
const SUMMARY: [WhatIfChange['changeType'], string][] = [['Create', 'to create'], ['Delete', 'to delete'], ['Deploy', 'to deploy'], ['Modify', 'to modify'], ['Ignore', 'to ignore'], ['NoChange', 'no change'], ['Unsupported', 'unsupported']];
/** Names whose values may be secrets: shown as (secret), whatever Azure returned. */
const SECRET = /(sharedkey|password|secret|authorizationkey|customdata|token|^key$|keys$)/i;

/** `unknown`: a value that stands in for one known only after another deployment, shown as "(known after deploy)". */
export function formatWhatIf(changes: readonly WhatIfChange[], color = false, unknown?: string): string {
  const c = createColors(color);
  const tint = (symbol: string) => (symbol === '+' ? c.green : symbol === '-' ? c.red : symbol === '~' ? c.magenta : symbol === '!' ? c.blue : c.dim);
  const lines: string[] = ['Resource and property changes are indicated with these symbols:', ...Object.entries(SYMBOL).map(([type, s]) => `  ${tint(s)(s)} ${type}`), ''];
  const scopes = new Map<string, WhatIfChange[]>();
  for (const change of changes) {
    const { scope } = splitId(change.resourceId ?? '');
    scopes.set(scope, [...(scopes.get(scope) ?? []), change]);
  }
  for (const [scope, inScope] of [...scopes].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`Scope: ${scope}`, '');
    for (const change of [...inScope].sort((a, b) => (a.resourceId ?? '').localeCompare(b.resourceId ?? ''))) {
      const symbol = SYMBOL[change.changeType] ?? '?';
      const apiVersion = (change.after ?? change.before)?.apiVersion;
      lines.push(`  ${tint(symbol)(`${symbol} ${splitId(change.resourceId ?? '').resource}`)}${apiVersion ? c.dim(` [${printable(String(apiVersion))}]`) : ''}${change.unsupportedReason ? ` (${printable(change.unsupportedReason)})` : ''}`);
      const body = change.changeType === 'Create' ? created(change.after, '+', unknown) : change.changeType === 'Delete' ? created(change.before, '-', unknown) : (change.delta ?? []).flatMap((d) => property(d, '', 4, unknown));
      lines.push(...body.map((line) => {
        const at = line.search(/\S/);
        return `${line.slice(0, at)}${tint(line[at]!)(line.slice(at, at + 1))}${line.slice(at + 1)}`;
      }));
      lines.push('');
    }
  }
  const counts = SUMMARY.map(([type, words]) => [changes.filter((ch) => ch.changeType === type).length, words] as const).filter(([n]) => n > 0);
  lines.push(`Resource changes: ${counts.length > 0 ? counts.map(([n, words]) => `${n} ${words}`).join(', ') : 'none'}.`);
  return `${lines.join('\n')}\n`;
}

/** `/subscriptions/s/resourceGroups/rg` and `Microsoft.Network/virtualNetworks/vnet-hub` from a resource id. */
function splitId(id: string): { scope: string; resource: string } {
  const at = id.indexOf('/providers/');
  const safe = printable(id);
  return at < 0 ? { scope: safe, resource: safe } : { scope: printable(id.slice(0, at)), resource: printable(id.slice(at + '/providers/'.length)) };
}

/** A created (or deleted) resource's properties, one leaf per line, without the identity fields. */
function created(resource: unknown, symbol: string, unknown: string | undefined): string[] {
  if (!resource || typeof resource !== 'object') return [];
  const { id: _id, name: _name, type: _type, apiVersion: _apiVersion, ...rest } = resource as Record<string, unknown>;
  if (Object.keys(rest).length === 0) return [];
  return leaves(rest, '').map(([path, value]) => `    ${symbol} ${printable(path)}: ${shown(path, value, unknown)}`);
}

function leaves(value: unknown, path: string): [string, unknown][] {
  if (Array.isArray(value)) return value.length === 0 ? [[path, value]] : value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? [[path, value]] : entries.flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  }
  return [[path, value]];
}

function property(change: WhatIfPropertyChange, parent: string, indent: number, unknown: string | undefined): string[] {
  const pad = ' '.repeat(indent);
  const path = printable(change.path);
  const full = parent ? `${parent}.${change.path}` : change.path;
  const symbol = PROPERTY_SYMBOL[change.propertyChangeType] ?? '?';
  switch (change.propertyChangeType) {
    case 'Create':
      return [`${pad}+ ${path}: ${shown(full, change.after, unknown)}`];
    case 'Delete':
      return [`${pad}- ${path}: ${shown(full, change.before, unknown)}`];
    case 'Modify':
      return change.children && change.children.length > 0
        ? [`${pad}~ ${path}:`, ...change.children.flatMap((child) => property(child, full, indent + 2, unknown))]
        : [`${pad}~ ${path}: ${shown(full, change.before, unknown)} => ${shown(full, change.after, unknown)}`];
    case 'Array':
      return [`${pad}~ ${path}: [`, ...(change.children ?? []).flatMap((child) => property(child, full, indent + 2, unknown)), `${pad}  ]`];
    default:
      return [`${pad}${symbol} ${path}: ${shown(full, change.after ?? change.before, unknown)}`];
  }
}

/** A value as JSON on one line; (secret) when the path names a secret, and so for any secret inside it; `unknown` as (known after deploy). */
function shown(path: string, value: unknown, unknown: string | undefined): string {
  const name = path.split('.').filter((p) => !/^\d+$/.test(p)).at(-1)?.replace(/\[\d+\]$/, '') ?? '';
  if (SECRET.test(name)) return '(secret)';
  if (value === undefined) return '(none)';
  if (unknown !== undefined && value === unknown) return '(known after deploy)';
  const text = JSON.stringify(redact(value));
  return printable(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET.test(k) ? '(secret)' : redact(v)]));
  return value;
}
