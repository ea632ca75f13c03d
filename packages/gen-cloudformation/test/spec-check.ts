/**
 * Checks a CloudFormation template against AWS's own resource specification
 * (@aws-cdk/aws-service-spec): unknown resource types and properties, wrong property types,
 * missing required properties, and Ref / Fn::GetAtt / Fn::Sub to names the template does not
 * define (or attributes the resource does not have) all fail.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';

type Json = unknown;
const db = loadAwsServiceSpecSync();
const PSEUDO = new Set(['AWS::AccountId', 'AWS::NoValue', 'AWS::NotificationARNs', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);

interface SpecType {
  type: string;
  element?: SpecType;
  types?: SpecType[];
  reference?: { $ref: string };
}

export function checkTemplate(template: Record<string, Json>): string[] {
  const problems: string[] = [];
  const resources = (template.Resources ?? {}) as Record<string, { Type: string; Properties?: Record<string, Json>; Condition?: string; DependsOn?: string | string[] }>;
  const parameters = new Set(Object.keys((template.Parameters ?? {}) as object));
  const conditions = new Set(Object.keys((template.Conditions ?? {}) as object));
  const specOf = (type: string) => db.lookup('resource', 'cloudFormationType', 'equals', type)[0];

  const checkName = (name: string, where: string, attribute?: string) => {
    if (PSEUDO.has(name) || parameters.has(name)) return;
    const resource = resources[name];
    if (!resource) return void problems.push(`${where}: reference to undefined "${name}"`);
    if (attribute !== undefined) {
      const spec = specOf(resource.Type);
      if (spec && !(attribute in spec.attributes) && !(attribute === 'Ref')) problems.push(`${where}: ${resource.Type} has no attribute "${attribute}"`);
    }
  };

  /** True when the value is an intrinsic function (then its references are checked, its type is taken on trust). */
  const intrinsic = (value: Json, where: string): boolean => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const keys = Object.keys(value);
    if (keys.length !== 1 || !(keys[0] === 'Ref' || keys[0]!.startsWith('Fn::') || keys[0] === 'Condition')) return false;
    const [fn, arg] = [keys[0]!, (value as Record<string, Json>)[keys[0]!]];
    if (fn === 'Ref') checkName(String(arg), where);
    else if (fn === 'Fn::GetAtt') {
      const [name, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
      checkName(String(name), where, String(attribute));
    } else if (fn === 'Fn::Sub') {
      const text = Array.isArray(arg) ? String(arg[0]) : String(arg);
      for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const [name, attribute] = m[1]!.split('.');
        checkName(name!, `${where} (Fn::Sub)`, attribute);
      }
    } else if (fn === 'Condition' || fn === 'Fn::If') {
      const name = fn === 'Condition' ? String(arg) : String((arg as Json[])[0]);
      if (!conditions.has(name)) problems.push(`${where}: undefined condition "${name}"`);
      if (fn === 'Fn::If') for (const branch of (arg as Json[]).slice(1)) walkIntrinsics(branch, where);
    } else walkIntrinsics(arg, where);
    return true;
  };
  const walkIntrinsics = (value: Json, where: string): void => {
    if (intrinsic(value, where)) return;
    if (Array.isArray(value)) value.forEach((v, i) => walkIntrinsics(v, `${where}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walkIntrinsics(v, `${where}.${k}`);
  };

  const checkValue = (value: Json, type: SpecType, where: string): void => {
    if (intrinsic(value, where)) return;
    switch (type.type) {
      case 'string':
        if (typeof value !== 'string' && typeof value !== 'number') problems.push(`${where}: expected a string, found ${JSON.stringify(value)?.slice(0, 40)}`);
        return;
      case 'integer':
      case 'number':
        if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) problems.push(`${where}: expected a number, found ${JSON.stringify(value)?.slice(0, 40)}`);
        return;
      case 'boolean':
        if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') problems.push(`${where}: expected a boolean, found ${JSON.stringify(value)?.slice(0, 40)}`);
        return;
      case 'json':
        walkIntrinsics(value, where);
        return;
      case 'array':
        if (!Array.isArray(value)) return void problems.push(`${where}: expected a list`);
        value.forEach((v, i) => checkValue(v, type.element!, `${where}[${i}]`));
        return;
      case 'map':
        if (!value || typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${where}: expected a map`);
        for (const [k, v] of Object.entries(value)) checkValue(v, type.element!, `${where}.${k}`);
        return;
      case 'tag':
        checkObject(value, { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } }, where);
        return;
      case 'ref': {
        const definition = db.get('typeDefinition', type.reference!.$ref);
        checkObject(value, definition.properties as Record<string, { type: SpecType; required?: boolean }>, where);
        return;
      }
      case 'union': {
        const attempts = type.types!.map((t) => {
          const before = problems.length;
          checkValue(value, t, where);
          return problems.splice(before);
        });
        if (attempts.every((a) => a.length > 0)) problems.push(...attempts[0]!);
        return;
      }
      default:
        problems.push(`${where}: the checker does not know type ${type.type}`);
    }
  };
  const checkObject = (value: Json, properties: Record<string, { type: SpecType; required?: boolean }>, where: string): void => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${where}: expected an object`);
    for (const [name, v] of Object.entries(value)) {
      const property = properties[name];
      if (!property) problems.push(`${where}: unknown property "${name}"`);
      else checkValue(v, property.type, `${where}.${name}`);
    }
    for (const [name, property] of Object.entries(properties)) if (property.required && !(name in value)) problems.push(`${where}: missing required property "${name}"`);
  };

  for (const [id, resource] of Object.entries(resources)) {
    const spec = specOf(resource.Type);
    if (!spec) {
      problems.push(`${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    if (resource.Condition && !conditions.has(resource.Condition)) problems.push(`${id}: undefined condition "${resource.Condition}"`);
    for (const dep of [resource.DependsOn ?? []].flat()) if (!resources[dep]) problems.push(`${id}: DependsOn undefined "${dep}"`);
    checkObject(resource.Properties ?? {}, spec.properties as Record<string, { type: SpecType; required?: boolean }>, id);
  }
  for (const [name, output] of Object.entries((template.Outputs ?? {}) as Record<string, { Value: Json; Condition?: string }>)) {
    walkIntrinsics(output.Value, `Outputs.${name}`);
    if (output.Condition && !conditions.has(output.Condition)) problems.push(`Outputs.${name}: undefined condition "${output.Condition}"`);
  }
  for (const [name, condition] of Object.entries((template.Conditions ?? {}) as Record<string, Json>)) walkIntrinsics(condition, `Conditions.${name}`);
  return problems;
}
