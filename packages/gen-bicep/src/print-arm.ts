/** ArmTemplate → ARM JSON (main.json) and its parameters file; the form deployed through the SDK. */
import { DEPLOYMENTS_API } from '@hybridnet/model';
import { isExpression, type ArmExpression, type ArmModule, type ArmResource, type ArmTemplate, type ArmValue } from './ir.ts';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

const pathText = (path: readonly (string | number)[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');

interface Scope {
  readonly symbols: ReadonlyMap<string, ArmResource>;
  readonly modules: ReadonlyMap<string, ArmModule>;
  readonly topologyName: string;
}

/** The id of a module's deployment, which lives in the module's resource group (as the Bicep compiler writes it). */
function deploymentIdText(m: ArmModule, topologyName: string): string {
  return `extensionResourceId(format('/subscriptions/{0}/resourceGroups/{1}', subscription().subscriptionId, ${quote(m.resourceGroup)}), 'Microsoft.Resources/deployments', ${quote(deploymentName(topologyName, m))})`;
}

function expressionText(e: ArmExpression, scope: Scope): string {
  const { symbols } = scope;
  const inner = (v: ArmValue): string => (isExpression(v) ? expressionText(v, scope) : typeof v === 'string' ? quote(v) : JSON.stringify(v));
  switch (e.$) {
    case 'param':
      return `parameters(${quote(e.name)})`;
    case 'resourceId':
      return `resourceId(${[...(e.group ? [quote(e.group)] : []), quote(e.type), ...e.names.map(inner)].join(', ')})`;
    case 'format':
      return `format(${[quote(e.template), ...e.args.map(inner)].join(', ')})`;
    case 'property': {
      const r = symbols.get(e.symbol);
      if (!r) throw new Error(`unknown symbol ${e.symbol}`);
      return `reference(${resourceIdOf(r, symbols)}, ${quote(r.apiVersion)})${pathText(e.path)}`;
    }
    case 'moduleOutput': {
      const m = scope.modules.get(e.module);
      if (!m) throw new Error(`unknown module ${e.module}`);
      return `reference(${deploymentIdText(m, scope.topologyName)}, ${quote(DEPLOYMENTS_API)}).outputs.${e.output}.value`;
    }
    case 'firstWhere':
      return `filter(${inner(e.array)}, lambda('x', endsWith(lambdaVariables('x').${e.field}, ${quote(e.suffix)})))[0]${pathText(e.path)}`;
  }
}

function resourceIdOf(r: ArmResource, symbols: ReadonlyMap<string, ArmResource>): string {
  const names: string[] = [];
  for (let at: ArmResource | undefined = r; at; at = at.parent ? symbols.get(at.parent) : undefined) names.unshift(at.name);
  return `resourceId(${[quote(r.type), ...names.map(quote)].join(', ')})`;
}

function value(v: ArmValue, scope: Scope): unknown {
  if (isExpression(v)) return `[${expressionText(v, scope)}]`;
  if (typeof v === 'string') return v.startsWith('[') ? `[${v}` : v; // a literal '[' is written '[['
  if (Array.isArray(v)) return v.map((x) => value(x, scope));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x as ArmValue, scope)]));
  return v;
}

/** The template as a JSON object (nested deployments hold the same shape). */
function armObject(template: ArmTemplate, topologyName: string): Record<string, unknown> {
  const symbols = new Map(template.resources.map((r) => [r.symbol, r]));
  const fullName = (r: ArmResource): string => (r.parent ? `${fullName(symbols.get(r.parent)!)}/${r.name}` : r.name);
  const modules = new Map(template.modules.map((m) => [m.symbol, m]));
  const scope: Scope = { symbols, modules, topologyName };
  const dependency = (d: string) => (modules.has(d) ? `[${deploymentIdText(modules.get(d)!, topologyName)}]` : `[${resourceIdOf(symbols.get(d)!, symbols)}]`);
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { _generator: { name: 'hybridnet', topology: topologyName }, description: template.description },
    parameters: Object.fromEntries(
      template.parameters.map((p) => [p.name, { type: p.secure ? 'securestring' : p.type, ...(p.default !== undefined ? { defaultValue: value(p.default, scope) } : {}), metadata: { description: p.description } }]),
    ),
    resources: [
      ...template.resources.map((r) => ({
        type: r.type,
        apiVersion: r.apiVersion,
        name: fullName(r),
        ...(r.location ? { location: `[parameters('${r.location === true ? 'location' : r.location}')]` } : {}),
        ...(r.kind !== undefined ? { kind: r.kind } : {}),
        ...(r.sku !== undefined ? { sku: value(r.sku, scope) } : {}),
        ...(r.plan !== undefined ? { plan: value(r.plan, scope) } : {}),
        ...(r.zones ? { zones: r.zones } : {}),
        properties: value(r.properties, scope),
        ...(r.dependsOn.length > 0 ? { dependsOn: r.dependsOn.map(dependency) } : {}),
      })),
      ...template.modules.map((m) => ({
        type: 'Microsoft.Resources/deployments',
        apiVersion: DEPLOYMENTS_API,
        name: deploymentName(topologyName, m),
        resourceGroup: m.resourceGroup,
        properties: {
          mode: 'Incremental',
          expressionEvaluationOptions: { scope: 'inner' },
          parameters: Object.fromEntries(Object.entries(m.parameters).map(([k, v]) => [k, { value: value(v, scope) }])),
          template: armObject(m.template, topologyName),
        },
        ...(m.dependsOn.length > 0 ? { dependsOn: m.dependsOn.map(dependency) } : {}),
      })),
    ],
    outputs: Object.fromEntries(template.outputs.map((o) => [o.name, { type: o.type, value: value(o.value, scope), metadata: { description: o.description } }])),
  };
}

/** The deployment name of a module: stable, derived from the topology and the role. */
export function deploymentName(topologyName: string, module: ArmModule): string {
  return `${topologyName}-${module.role}`.slice(0, 64);
}

export function printArm(template: ArmTemplate, topologyName: string): string {
  return `${JSON.stringify(armObject(template, topologyName), null, 2)}\n`;
}

/**
 * main.parameters.json: the values known when generating. Secrets come at deploy time, and a
 * value known only after another deployment (an on-premises public IP) is an input given on the
 * command line (`--parameters Name=value`); neither is ever written as an empty placeholder,
 * which the local network gateway would reject mid-deployment.
 */
export function printArmParameters(template: ArmTemplate): string {
  const known = template.parameters.filter((p) => !p.secure && p.default !== undefined && !isExpression(p.default));
  return `${JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: Object.fromEntries(known.map((p) => [p.name, { value: p.default }])) }, null, 2)}\n`;
}
