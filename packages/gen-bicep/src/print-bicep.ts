/** ArmTemplate → main.bicep and main.bicepparam. */
import { KEY_VAULT_SUBSCRIPTION_VARIABLE } from '@hybridnet/model';
import { expressionsIn, isExpression, type ArmExpression, type ArmModule, type ArmResource, type ArmTemplate, type ArmValue } from './ir.ts';

/** A Bicep string literal: quote, backslash and interpolation escaped, control characters spelled out. */
export function bicepString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : bicepString(k));

const pathText = (path: readonly (string | number)[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');

function expression(e: ArmExpression): string {
  switch (e.$) {
    case 'param':
      return e.name;
    case 'resourceId':
      return `resourceId(${[...(e.group ? [bicepString(e.group)] : []), bicepString(e.type), ...e.names.map((n) => inline(n))].join(', ')})`;
    case 'format':
      return `format(${[bicepString(e.template), ...e.args.map((a) => inline(a))].join(', ')})`;
    case 'property':
      return `${e.symbol}.properties${pathText(e.path)}`;
    case 'moduleOutput':
      return `${e.module}.outputs.${e.output}`;
    case 'firstWhere':
      return `filter(${expression(e.array)}, x => endsWith(x.${e.field}, ${bicepString(e.suffix)}))[0]${pathText(e.path)}`;
  }
}

function inline(v: ArmValue): string {
  if (isExpression(v)) return expression(v);
  if (typeof v === 'string') return bicepString(v);
  return JSON.stringify(v);
}

function block(v: ArmValue, indent: string): string {
  if (isExpression(v)) return expression(v);
  if (v === null || typeof v !== 'object') return inline(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[\n${v.map((x) => `${inner}${block(x, inner)}`).join('\n')}\n${indent}]`;
  const entries = Object.entries(v);
  return entries.length === 0 ? '{}' : `{\n${entries.map(([k, x]) => `${inner}${key(k)}: ${block(x as ArmValue, inner)}`).join('\n')}\n${indent}}`;
}

/** Symbols whose runtime properties a value reads (`pip.properties.ipAddress`). */
function referencedSymbols(values: readonly (ArmValue | undefined)[]): string[] {
  return expressionsIn(values).flatMap((e) => (e.$ === 'property' ? [e.symbol] : e.$ === 'moduleOutput' ? [e.module] : []));
}

function resource(r: ArmResource): string {
  const lines = [`resource ${r.symbol} '${r.type}@${r.apiVersion}' = {`];
  if (r.parent) lines.push(`  parent: ${r.parent}`);
  lines.push(`  name: ${bicepString(r.name)}`);
  if (r.location) lines.push(`  location: ${r.location === true ? 'location' : r.location}`);
  if (r.kind !== undefined) lines.push(`  kind: ${bicepString(r.kind)}`);
  if (r.sku !== undefined) lines.push(`  sku: ${block(r.sku, '  ')}`);
  if (r.plan !== undefined) lines.push(`  plan: ${block(r.plan, '  ')}`);
  if (r.zones) lines.push(`  zones: ${block(r.zones, '  ')}`);
  lines.push(`  properties: ${block(r.properties, '  ')}`);
  // Explicit because ids are built with resourceId(), which Bicep does not trace; the parent and
  // the resources whose runtime properties the body reads are implied (Bicep's
  // no-unnecessary-dependson rule asks to leave those out).
  const implied = new Set([r.parent, ...referencedSymbols([r.sku, r.plan, r.properties])]);
  // (a module whose outputs a resource reads is implied the same way)
  const deps = r.dependsOn.filter((d) => !implied.has(d));
  if (deps.length > 0) lines.push(`  dependsOn: [\n${deps.map((d) => `    ${d}`).join('\n')}\n  ]`);
  lines.push('}');
  return lines.join('\n');
}

function module(m: ArmModule, deployment: string): string {
  const lines = [`module ${m.symbol} 'modules/${m.role}.bicep' = {`, `  name: ${bicepString(deployment)}`, `  scope: resourceGroup(${bicepString(m.resourceGroup)})`, `  params: ${block(m.parameters, '  ')}`];
  if (m.dependsOn.length > 0) lines.push(`  dependsOn: [\n${m.dependsOn.map((d) => `    ${d}`).join('\n')}\n  ]`);
  lines.push('}');
  return lines.join('\n');
}

/** main.bicep, then one file per module (`modules/<role>.bicep`). */
export function printBicep(template: ArmTemplate, deploymentName: (m: ArmModule) => string = (m) => m.role): { path: string; content: string }[] {
  const print = (t: ArmTemplate): string => {
    const parts: string[] = [`// ${t.description.replace(/[\r\n]+/g, ' ')}`, "targetScope = 'resourceGroup'", ''];
    for (const p of t.parameters) {
      parts.push(`@description(${bicepString(p.description)})`);
      if (p.secure) parts.push('@secure()');
      parts.push(`param ${p.name} ${p.type}${p.default !== undefined ? ` = ${inline(p.default)}` : ''}`, '');
    }
    for (const r of t.resources) parts.push(resource(r), '');
    for (const m of t.modules) parts.push(module(m, deploymentName(m)), '');
    for (const o of t.outputs) parts.push(`@description(${bicepString(o.description)})`, `output ${o.name} ${o.type} = ${inline(o.value)}`, '');
    return `${parts.join('\n').trimEnd()}\n`;
  };
  return [{ path: 'main.bicep', content: print(template) }, ...template.modules.map((m) => ({ path: `modules/${m.role}.bicep`, content: print(m.template) }))];
}

/**
 * main.bicepparam: a Key Vault secret through getSecret() (the deployment reads it from the vault,
 * which must allow template deployment), every other value without a default from its
 * environment variable. Source: learn.microsoft.com, Bicep functions for parameters files.
 */
export function printBicepParam(template: ArmTemplate): string {
  const lines = ["using './main.bicep'", ''];
  const open = template.parameters.filter((p) => p.default === undefined);
  if (open.some((p) => p.secret && 'keyVault' in p.secret)) {
    lines.push(`// The subscription of the Key Vaults below: export ${KEY_VAULT_SUBSCRIPTION_VARIABLE}="$(az account show --query id --output tsv)".`, `var keyVaultSubscription = readEnvironmentVariable(${bicepString(KEY_VAULT_SUBSCRIPTION_VARIABLE)})`, '');
  }
  for (const p of open) {
    if (p.secret && 'keyVault' in p.secret) {
      const kv = p.secret.keyVault;
      lines.push(`// ${p.description} Read from Key Vault ${kv.vault} when deploying; it never goes into a file.`, `param ${p.name} = az.getSecret(keyVaultSubscription, ${[kv.resourceGroup!, kv.vault, kv.secret].map(bicepString).join(', ')})`, '');
      continue;
    }
    const note = p.secure ? ' Export it before deploying; it never goes into a file.' : '';
    lines.push(`// ${p.description}${note}`, `param ${p.name} = readEnvironmentVariable(${bicepString(p.fromEnvironment ?? p.name)})`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
