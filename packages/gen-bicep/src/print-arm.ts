/** ArmTemplate → ARM JSON (main.json) and its parameters file; the form deployed through the SDK. */
import { DEPLOYMENTS_API } from './api-versions.ts';
import { isExpression, type ArmExpression, type ArmModule, type ArmResource, type ArmTemplate, type ArmValue } from './ir.ts';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

function expressionText(e: ArmExpression, symbols: ReadonlyMap<string, ArmResource>): string {
  const inner = (v: ArmValue): string => (isExpression(v) ? expressionText(v, symbols) : typeof v === 'string' ? quote(v) : JSON.stringify(v));
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
      const path = e.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
      return `reference(${resourceIdOf(r, symbols)}, ${quote(r.apiVersion)})${path}`;
    }
  }
}

function resourceIdOf(r: ArmResource, symbols: ReadonlyMap<string, ArmResource>): string {
  const names: string[] = [];
  for (let at: ArmResource | undefined = r; at; at = at.parent ? symbols.get(at.parent) : undefined) names.unshift(at.name);
  return `resourceId(${[quote(r.type), ...names.map(quote)].join(', ')})`;
}

function value(v: ArmValue, symbols: ReadonlyMap<string, ArmResource>): unknown {
  if (isExpression(v)) return `[${expressionText(v, symbols)}]`;
  if (typeof v === 'string') return v.startsWith('[') ? `[${v}` : v; // a literal '[' is written '[['
  if (Array.isArray(v)) return v.map((x) => value(x, symbols));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x as ArmValue, symbols)]));
  return v;
}

/** The template as a JSON object (nested deployments hold the same shape). */
function armObject(template: ArmTemplate, topologyName: string): Record<string, unknown> {
  const symbols = new Map(template.resources.map((r) => [r.symbol, r]));
  const fullName = (r: ArmResource): string => (r.parent ? `${fullName(symbols.get(r.parent)!)}/${r.name}` : r.name);
  const deploymentId = (m: ArmModule) => `[resourceId('Microsoft.Resources/deployments', ${quote(deploymentName(topologyName, m))})]`;
  const modules = new Map(template.modules.map((m) => [m.symbol, m]));
  const dependency = (d: string) => (modules.has(d) ? deploymentId(modules.get(d)!) : `[${resourceIdOf(symbols.get(d)!, symbols)}]`);
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { _generator: { name: 'hybridnet', topology: topologyName }, description: template.description },
    parameters: Object.fromEntries(
      template.parameters.map((p) => [p.name, { type: p.secure ? 'securestring' : p.type, ...(p.default !== undefined ? { defaultValue: value(p.default, symbols) } : {}), metadata: { description: p.description } }]),
    ),
    resources: [
      ...template.resources.map((r) => ({
        type: r.type,
        apiVersion: r.apiVersion,
        name: fullName(r),
        ...(r.location ? { location: "[parameters('location')]" } : {}),
        ...(r.kind !== undefined ? { kind: r.kind } : {}),
        ...(r.sku !== undefined ? { sku: value(r.sku, symbols) } : {}),
        ...(r.plan !== undefined ? { plan: value(r.plan, symbols) } : {}),
        ...(r.zones ? { zones: r.zones } : {}),
        properties: value(r.properties, symbols),
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
          parameters: Object.fromEntries(Object.entries(m.parameters).map(([k, v]) => [k, { value: value(v, symbols) }])),
          template: armObject(m.template, topologyName),
        },
        ...(m.dependsOn.length > 0 ? { dependsOn: m.dependsOn.map(dependency) } : {}),
      })),
    ],
    outputs: Object.fromEntries(template.outputs.map((o) => [o.name, { type: o.type, value: value(o.value, symbols), metadata: { description: o.description } }])),
  };
}

/** The deployment name of a module: stable, derived from the topology and the role. */
export function deploymentName(topologyName: string, module: ArmModule): string {
  return `${topologyName}-${module.role}`.slice(0, 64);
}

export function printArm(template: ArmTemplate, topologyName: string): string {
  return `${JSON.stringify(armObject(template, topologyName), null, 2)}\n`;
}

/** main.parameters.json: the parameters without defaults that are not secret (secrets come at deploy time). */
export function printArmParameters(template: ArmTemplate): string {
  const plain = template.parameters.filter((p) => !p.secure && p.default === undefined);
  return `${JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: Object.fromEntries(plain.map((p) => [p.name, { value: '' }])) }, null, 2)}\n`;
}
