import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { formatDiagnostic, parseTopology, type Diagnostic } from '@hybridnet/model';
import { validateTopology } from '@hybridnet/validate';

export type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The raw (pre-schema) data of a bundled example, to mutate. */
export function example(name: 'webapp-hybrid' | 'branch-to-branch' | 'webapp-regional'): Raw {
  return parse(readFileSync(new URL(`../../../examples/${name}/topology.yaml`, import.meta.url), 'utf8')) as Raw;
}

/** Loads and validates raw data; the mutation must keep it a well-formed model. */
export function validate(raw: Raw): Diagnostic[] {
  const text = stringify(raw);
  const loaded = parseTopology(text, 'case.yaml');
  if (!loaded.topology || !loaded.index) throw new Error(`the case does not load:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  return validateTopology(loaded.topology, loaded.index).map((d) => ({ ...d, file: 'case.yaml', ...loaded.locate(d.path) }));
}

/** Loads raw data into the model (topology and index); the data must be a well-formed model. */
export function load(raw: Raw) {
  const loaded = parseTopology(stringify(raw), 'case.yaml');
  if (!loaded.topology || !loaded.index) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return { topology: loaded.topology, index: loaded.index };
}

/** The raw data without network security groups (the groups and every reference to them), for cases about routing alone. */
export function withoutGroups(raw: Raw): Raw {
  delete raw.azure.networkSecurityGroups;
  for (const holder of [...raw.azure.vnets.flatMap((v: Raw) => v.subnets), ...(raw.azure.firewalls ?? []), ...(raw.testEndpoints ?? [])]) delete holder.networkSecurityGroup;
  return raw;
}
