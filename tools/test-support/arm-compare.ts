/**
 * Helpers for checking hybridnet's Azure output with the Bicep CLI: its SARIF findings as
 * `file:line:col rule message` lines, and a normal form of an ARM template in which two
 * templates that describe the same deployment are equal. The normal form keeps every resource
 * (type, API version, name, location, kind, sku, plan, zones, properties, resource group) and its
 * dependencies as a set, every parameter and output; it leaves out what the compiler is free to
 * choose: metadata, the order of resources and of dependencies, and white space in expressions.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSarifLogs } from '@hybridnet/cli';

/** Every finding of a `--diagnostics-format sarif` run (errors, warnings and infos alike), from stdout and stderr together. */
export function sarifFindings(output: string, base: string): string[] {
  const results = parseSarifLogs(output);
  if (!results) return [`not SARIF: ${output.slice(0, 400)}`];
  return results.map((res) => {
    const loc = res.locations?.[0]?.physicalLocation;
    const file = loc ? relative(base, fileURLToPath(loc.artifactLocation.uri)) : '?';
    return `${file}:${loc?.region?.startLine ?? 0}:${loc?.region?.charOffset ?? 0} ${res.ruleId} ${res.message.text.replace(/ \[https:[^\]]+\]$/, '')}`;
  });
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** An expression without white space outside quotes; `[format('{0}/{1}', 'a', 'b')]` of literals folded to `a/b`. */
function expression(s: string): string {
  if (!s.startsWith('[') || s.startsWith('[[')) return s;
  const compact = s.replace(/\s+(?=(?:[^']*'[^']*')*[^']*$)/g, '');
  const format = /^\[format\('((?:[^']|'')*)'((?:,'(?:[^']|'')*')+)\)\]$/.exec(compact);
  if (!format) return compact;
  const args = [...format[2]!.matchAll(/,'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
  return format[1]!.replace(/''/g, "'").replace(/\{(\d+)\}/g, (_, n: string) => args[Number(n)] ?? `{${n}}`);
}

function value(v: Json): Json {
  if (typeof v === 'string') return expression(v);
  if (Array.isArray(v)) return v.map(value);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
  return v;
}

interface ArmJson {
  parameters?: Record<string, { type: string; defaultValue?: Json }>;
  resources?: Record<string, Json>[] | Record<string, Record<string, Json>>;
  outputs?: Record<string, { type: string; value: Json }>;
}

/** The normal form of an ARM template (nested deployments normalised too). */
export function normaliseArm(template: ArmJson): Json {
  const resources = Array.isArray(template.resources) ? template.resources : Object.values(template.resources ?? {});
  const normalised = resources.map((r) => {
    const { type, apiVersion, name, location, kind, sku, plan, zones, properties, dependsOn, resourceGroup } = r as Record<string, Json>;
    let props = properties;
    if (type === 'Microsoft.Resources/deployments' && props && typeof props === 'object' && !Array.isArray(props)) {
      const { mode, parameters, template: inner, expressionEvaluationOptions } = props as Record<string, Json>;
      props = { mode: mode ?? null, parameters: value(parameters ?? {}), expressionEvaluationOptions: expressionEvaluationOptions ?? null, template: normaliseArm(inner as ArmJson) };
    } else props = value(properties ?? null);
    return {
      type: type ?? null,
      apiVersion: apiVersion ?? null,
      name: value(name ?? null),
      resourceGroup: value(resourceGroup ?? null),
      location: value(location ?? null),
      kind: kind ?? null,
      sku: value(sku ?? null),
      plan: value(plan ?? null),
      zones: zones ?? null,
      properties: props,
      dependsOn: (Array.isArray(dependsOn) ? dependsOn.map((d) => expression(d as string)) : []).sort(),
    };
  });
  normalised.sort((a, b) => `${a.type} ${JSON.stringify(a.name)}`.localeCompare(`${b.type} ${JSON.stringify(b.name)}`));
  return {
    parameters: Object.fromEntries(Object.entries(template.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, p]) => [k, { type: p.type.toLowerCase(), defaultValue: value(p.defaultValue ?? null) }])),
    resources: normalised as unknown as Json,
    outputs: Object.fromEntries(Object.entries(template.outputs ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, o]) => [k, { type: o.type.toLowerCase(), value: value(o.value) }])),
  };
}
