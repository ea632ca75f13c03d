import type { SecretRef } from '@hybridnet/model';

/**
 * The target-shaped form of an Azure deployment: ARM resources whose values may hold expressions.
 * The transform builds it once; print-arm.ts and print-bicep.ts render it, so the Bicep and the
 * ARM JSON cannot disagree.
 */

/** An expression evaluated by Azure Resource Manager at deployment time. */
export type ArmExpression =
  /** A template parameter. */
  | { readonly $: 'param'; readonly name: string }
  /** The id of a resource in this resource group, or in `group`. */
  | { readonly $: 'resourceId'; readonly type: string; readonly names: readonly ArmValue[]; readonly group?: string }
  /** A runtime property of a resource of this template (`properties.` is implied). */
  | { readonly $: 'property'; readonly symbol: string; readonly path: readonly (string | number)[] }
  /** format('{0}...', args) */
  | { readonly $: 'format'; readonly template: string; readonly args: readonly ArmValue[] }
  /** An output of one of this template's modules. */
  | { readonly $: 'moduleOutput'; readonly module: string; readonly output: string }
  /** The first element of an array whose `field` ends with `suffix`, then a path into it. */
  | { readonly $: 'firstWhere'; readonly array: ArmExpression; readonly field: string; readonly suffix: string; readonly path: readonly (string | number)[] };

export type ArmValue = string | number | boolean | null | readonly ArmValue[] | { readonly [key: string]: ArmValue } | ArmExpression;

export function isExpression(value: ArmValue): value is ArmExpression {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { $?: unknown }).$ === 'string';
}

/** Every expression in these values, those inside another expression's arguments included. */
export function expressionsIn(values: readonly (ArmValue | undefined)[]): ArmExpression[] {
  const found: ArmExpression[] = [];
  const walk = (v: ArmValue | undefined): void => {
    if (v === null || v === undefined || typeof v !== 'object') return;
    if (isExpression(v)) {
      found.push(v);
      if (v.$ === 'firstWhere') walk(v.array);
      else if (v.$ === 'resourceId') v.names.forEach(walk);
      else if (v.$ === 'format') v.args.forEach(walk);
    } else if (Array.isArray(v)) v.forEach(walk);
    else Object.values(v).forEach(walk);
  };
  values.forEach(walk);
  return found;
}

export const param = (name: string): ArmExpression => ({ $: 'param', name });
export const resourceId = (type: string, ...names: ArmValue[]): ArmExpression => ({ $: 'resourceId', type, names });
export const resourceIdIn = (group: string, type: string, ...names: ArmValue[]): ArmExpression => ({ $: 'resourceId', type, names, group });
export const property = (symbol: string, ...path: (string | number)[]): ArmExpression => ({ $: 'property', symbol, path });
export const moduleOutput = (module: string, output: string): ArmExpression => ({ $: 'moduleOutput', module, output });
export const firstWhere = (array: ArmExpression, field: string, suffix: string, ...path: (string | number)[]): ArmExpression => ({ $: 'firstWhere', array, field, suffix, path });
export const format = (template: string, ...args: ArmValue[]): ArmExpression => ({ $: 'format', template, args });

export interface ArmResource {
  /** Symbolic name (Bicep identifier). */
  readonly symbol: string;
  readonly type: string;
  readonly apiVersion: string;
  /** The resource's own name (the last segment for a child resource). */
  readonly name: string;
  /** Symbol of the parent resource, for child resources. */
  readonly parent?: string;
  /**
   * The template's `location` parameter (true), none (a child resource), or the name of another
   * parameter holding a region (a VNet's own `location`: Bicep's linter wants no region literal).
   */
  readonly location: boolean | string;
  readonly sku?: ArmValue;
  readonly kind?: string;
  /** Marketplace plan of a VM image. */
  readonly plan?: ArmValue;
  readonly zones?: readonly string[];
  readonly properties: { readonly [key: string]: ArmValue };
  /** Symbols this resource must be deployed after. */
  readonly dependsOn: readonly string[];
}

export interface ArmParameter {
  readonly name: string;
  readonly type: 'string' | 'int' | 'bool';
  readonly secure: boolean;
  readonly default?: ArmValue;
  readonly description: string;
  /** How the .bicepparam file supplies it (an environment variable), when it has no default. */
  readonly fromEnvironment?: string;
  /** For a secure parameter: where the secret lives (the deploy command resolves it from there). */
  readonly secret?: SecretRef;
}

export interface ArmOutput {
  readonly name: string;
  readonly type: 'string';
  readonly value: ArmValue;
  readonly description: string;
}

/** Resources that live in another resource group: a Bicep module, a nested deployment in ARM. */
export interface ArmModule {
  readonly symbol: string;
  /** Module file stem and deployment name suffix (firewall, app, test). */
  readonly role: string;
  readonly resourceGroup: string;
  readonly template: ArmTemplate;
  /** Values for the module's parameters, from the outer template. */
  readonly parameters: { readonly [name: string]: ArmValue };
  /** Symbols of outer resources it must follow. */
  readonly dependsOn: readonly string[];
}

export interface ArmTemplate {
  readonly description: string;
  readonly parameters: ArmParameter[];
  readonly resources: ArmResource[];
  readonly outputs: ArmOutput[];
  readonly modules: ArmModule[];
}
