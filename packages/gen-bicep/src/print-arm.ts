/** ArmTemplate → ARM JSON (main.json) and its parameters file; the form deployed through the SDK. */
import { isExpression, type ArmExpression, type ArmResource, type ArmTemplate, type ArmValue } from './ir.ts';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

function expressionText(e: ArmExpression, symbols: ReadonlyMap<string, ArmResource>): string {
  const inner = (v: ArmValue): string => (isExpression(v) ? expressionText(v, symbols) : typeof v === 'string' ? quote(v) : JSON.stringify(v));
  switch (e.$) {
    case 'param':
      return `parameters(${quote(e.name)})`;
    case 'resourceId':
      return `resourceId(${[quote(e.type), ...e.names.map(inner)].join(', ')})`;
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

export function printArm(template: ArmTemplate, topologyName: string): string {
  const symbols = new Map(template.resources.map((r) => [r.symbol, r]));
  const fullName = (r: ArmResource): string => (r.parent ? `${fullName(symbols.get(r.parent)!)}/${r.name}` : r.name);
  const json = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { _generator: { name: 'hybridnet', topology: topologyName }, description: template.description },
    parameters: Object.fromEntries(
      template.parameters.map((p) => [p.name, { type: p.secure ? 'securestring' : p.type, ...(p.default !== undefined ? { defaultValue: value(p.default, symbols) } : {}), metadata: { description: p.description } }]),
    ),
    resources: template.resources.map((r) => ({
      type: r.type,
      apiVersion: r.apiVersion,
      name: fullName(r),
      ...(r.location ? { location: '[parameters(\'location\')]' } : {}),
      ...(r.sku !== undefined ? { sku: value(r.sku, symbols) } : {}),
      ...(r.zones ? { zones: r.zones } : {}),
      properties: value(r.properties, symbols),
      ...(r.dependsOn.length > 0 ? { dependsOn: r.dependsOn.map((d) => `[${resourceIdOf(symbols.get(d)!, symbols)}]`) } : {}),
    })),
    outputs: Object.fromEntries(template.outputs.map((o) => [o.name, { type: o.type, value: value(o.value, symbols), metadata: { description: o.description } }])),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** main.parameters.json: the parameters without defaults that are not secret (secrets come at deploy time). */
export function printArmParameters(template: ArmTemplate): string {
  const plain = template.parameters.filter((p) => !p.secure && p.default === undefined);
  return `${JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: Object.fromEntries(plain.map((p) => [p.name, { value: '' }])) }, null, 2)}\n`;
}
