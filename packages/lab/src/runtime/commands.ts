/** `ip` commands for the plan's routes and rules (read by `ip -batch`). */
import type { LabRoute, LabRule } from '../ir.ts';

export function routeCommand(r: LabRoute): string {
  const table = r.table ? ` table ${r.table}` : '';
  if (r.type) return `route replace ${r.type} ${r.prefix}${table}`;
  const metric = r.metric !== undefined ? ` metric ${r.metric}` : '';
  const src = r.src ? ` src ${r.src}` : '';
  const onlink = r.onlink ? ' onlink' : '';
  if (r.via && r.via.length > 1) return `route replace ${r.prefix}${table}${metric}${src} ${r.via.map((v) => `nexthop via ${v}${r.dev ? ` dev ${r.dev}` : ''}${onlink}`).join(' ')}`;
  if (r.via) return `route replace ${r.prefix}${table}${metric}${src} via ${r.via[0]}${r.dev ? ` dev ${r.dev}` : ''}${onlink}`;
  return `route replace ${r.prefix}${table}${metric}${src} dev ${r.dev} scope link`;
}

export function ruleCommand(r: LabRule): string {
  return `rule add pref ${r.pref}${r.iif ? ` iif ${r.iif}` : ''} ${r.type ?? `lookup ${r.table}`}`;
}

