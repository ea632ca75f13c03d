/**
 * Checks ARM resources against Azure's official type data (../shared/azure-types, the data the
 * Bicep compiler uses, from Azure/bicep-types-az): an unknown type@apiVersion, an unknown
 * property, a wrong primitive type, a write to a read-only property, or a literal outside a
 * closed enum all fail. ARM expressions ("[...]") are taken on trust: their value exists only
 * at deployment.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TYPES_DIR = fileURLToPath(new URL('../../../../shared/azure-types/', import.meta.url));
export const typesAvailable = existsSync(TYPES_DIR);

type Ref = { $ref: string };
type TypeEntry = { $type: string; [key: string]: unknown };
interface Catalog {
  readonly entries: TypeEntry[];
}
const catalogs: Catalog[] = [];
const resourceTypes = new Map<string, { catalog: Catalog; body: Ref }>();

if (typesAvailable) {
  for (const provider of readdirSync(TYPES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const version of readdirSync(join(TYPES_DIR, provider.name))) {
      const file = join(TYPES_DIR, provider.name, version, 'types.json');
      if (!existsSync(file)) continue;
      const catalog = { entries: JSON.parse(readFileSync(file, 'utf8')) as TypeEntry[] };
      catalogs.push(catalog);
      for (const entry of catalog.entries) if (entry.$type === 'ResourceType') resourceTypes.set((entry.name as string).toLowerCase(), { catalog, body: entry.body as Ref });
    }
  }
}

const deref = (catalog: Catalog, ref: Ref): TypeEntry => catalog.entries[Number(ref.$ref.replace('#/', ''))]!;
const isExpression = (v: unknown) => typeof v === 'string' && v.startsWith('[') && !v.startsWith('[[');

function check(catalog: Catalog, type: TypeEntry, value: unknown, where: string, problems: string[]): void {
  if (isExpression(value)) return;
  switch (type.$type) {
    case 'AnyType':
      return;
    case 'StringType':
      if (typeof value !== 'string') problems.push(`${where}: expected a string, found ${JSON.stringify(value)}`);
      return;
    case 'IntegerType':
      if (typeof value !== 'number' || !Number.isInteger(value)) problems.push(`${where}: expected an integer, found ${JSON.stringify(value)}`);
      return;
    case 'BooleanType':
      if (typeof value !== 'boolean') problems.push(`${where}: expected a boolean, found ${JSON.stringify(value)}`);
      return;
    case 'StringLiteralType':
      if (value !== type.value) problems.push(`${where}: expected ${JSON.stringify(type.value)}, found ${JSON.stringify(value)}`);
      return;
    case 'UnionType': {
      const attempts = (type.elements as Ref[]).map((e) => {
        const found: string[] = [];
        check(catalog, deref(catalog, e), value, where, found);
        return found;
      });
      if (attempts.every((a) => a.length > 0)) problems.push(`${where}: ${JSON.stringify(value)} matches none of ${(type.elements as Ref[]).map((e) => JSON.stringify(deref(catalog, e).value ?? deref(catalog, e).$type)).join(', ')}`);
      return;
    }
    case 'ArrayType':
      if (!Array.isArray(value)) return void problems.push(`${where}: expected a list`);
      value.forEach((v, i) => check(catalog, deref(catalog, type.itemType as Ref), v, `${where}[${i}]`, problems));
      return;
    case 'ObjectType':
      checkObject(catalog, type, value, where, problems);
      return;
    case 'DiscriminatedObjectType': {
      const discriminator = type.discriminator as string;
      const kind = (value as Record<string, unknown>)?.[discriminator] as string;
      const element = (type.elements as Record<string, Ref>)[kind];
      if (!element) return void problems.push(`${where}: unknown ${discriminator} ${JSON.stringify(kind)}`);
      const merged = { $type: 'ObjectType', properties: { ...(type.baseProperties as object), ...(deref(catalog, element).properties as object) } };
      checkObject(catalog, merged, value, where, problems);
      return;
    }
    default:
      problems.push(`${where}: the checker does not know ${type.$type}`);
  }
}

function checkObject(catalog: Catalog, type: TypeEntry, value: unknown, where: string, problems: string[]): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${where}: expected an object`);
  const properties = (type.properties ?? {}) as Record<string, { type: Ref; flags: number }>;
  for (const [name, v] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      if (type.additionalProperties) check(catalog, deref(catalog, type.additionalProperties as Ref), v, `${where}.${name}`, problems);
      else problems.push(`${where}: unknown property "${name}"`);
      continue;
    }
    if (property.flags & 2) problems.push(`${where}.${name}: is read-only`);
    check(catalog, deref(catalog, property.type), v, `${where}.${name}`, problems);
  }
}

/**
 * Azure's enums are "extensible" in the type data (a union that includes any string), so an
 * unknown value passes the walk above; the values hybridnet writes are checked here instead.
 */
const ENUMS: Record<string, readonly string[]> = {
  nextHopType: ['VirtualNetworkGateway', 'VnetLocal', 'Internet', 'VirtualAppliance', 'None'],
  gatewayType: ['Vpn', 'ExpressRoute', 'LocalGateway'],
  connectionType: ['IPsec', 'Vnet2Vnet', 'ExpressRoute', 'VPNClient'],
  vpnType: ['RouteBased', 'PolicyBased'],
  publicIPAllocationMethod: ['Static', 'Dynamic'],
  privateIPAllocationMethod: ['Static', 'Dynamic'],
  connectionProtocol: ['IKEv1', 'IKEv2'],
};

function checkEnums(value: unknown, where: string, problems: string[]): void {
  if (Array.isArray(value)) return value.forEach((v, i) => checkEnums(v, `${where}[${i}]`, problems));
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    const allowed = ENUMS[k];
    if (allowed && typeof v === 'string' && !isExpression(v) && !allowed.includes(v)) problems.push(`${where}.${k}: ${JSON.stringify(v)} is not one of ${allowed.join(', ')}`);
    checkEnums(v, `${where}.${k}`, problems);
  }
}

/** Problems of every resource of an ARM template. */
export function checkArmTemplate(template: { resources: { type: string; apiVersion: string; name: string; [key: string]: unknown }[] }): string[] {
  const problems: string[] = [];
  for (const r of template.resources) {
    const where = `${r.type}/${r.name}`;
    // A nested deployment (another resource group): check the template it carries.
    if (r.type === 'Microsoft.Resources/deployments') {
      const inner = (r.properties as { template?: { resources: typeof template.resources } } | undefined)?.template;
      if (!inner) problems.push(`${where}: a nested deployment without a template`);
      else problems.push(...checkArmTemplate(inner).map((p) => `${r.name} › ${p}`));
      continue;
    }
    const found = resourceTypes.get(`${r.type}@${r.apiVersion}`.toLowerCase());
    if (!found) {
      problems.push(`${where}: unknown resource type ${r.type}@${r.apiVersion}`);
      continue;
    }
    const { type: _type, apiVersion: _api, dependsOn: _deps, ...body } = r;
    checkObject(found.catalog, deref(found.catalog, found.body), body, where, problems);
    checkEnums(body, where, problems);
  }
  return problems;
}
