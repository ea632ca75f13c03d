/**
 * Every diagnostic code hybridnet can print, in one list: what it means, its severity where the
 * code fixes one, and where its entry in the rule catalogue is (the README of the package that
 * raises it, one anchor per code). `hybridnet explain` prints an entry; JSON output links each
 * diagnostic to it; severity overrides are checked against it. Loaded only when one of those
 * needs it, so plain `validate` starts without the generators' code lists.
 */
import { MODEL_CODES, type Severity } from '@hybridnet/model';
import { VALIDATE_CODES } from '@hybridnet/validate';
import { BICEP_CODES } from '@hybridnet/gen-bicep/check';
import { RRAS_CODES } from '@hybridnet/gen-rras/check';
import { CFN_CODES } from '@hybridnet/gen-cloudformation/check';
import { CGF_CODES } from '@hybridnet/gen-barracuda/check';
import { CHECK_CODES } from './check.ts';
import { CLI_CODES, docsLink } from './codes.ts';

export interface CatalogueEntry {
  readonly code: string;
  readonly summary: string;
  /** The severity its findings have, when the code fixes one (the validator's rules do). */
  readonly severity?: Severity;
  readonly example?: string;
  /** The catalogue entry: `packages/<package>/README.md#<anchor>`. */
  readonly docs: string;
}

export const CATALOGUE: ReadonlyMap<string, CatalogueEntry> = new Map(
  [
    ...Object.entries(MODEL_CODES).map(([code, summary]) => ({ code, summary, severity: 'error' as const })),
    ...Object.entries(VALIDATE_CODES).map(([code, rule]) => ({ code, summary: rule.summary, severity: rule.severity, example: rule.example })),
    ...[BICEP_CODES, RRAS_CODES, CFN_CODES, CGF_CODES, CHECK_CODES, CLI_CODES].flatMap((codes) => Object.entries(codes).map(([code, summary]) => ({ code, summary }))),
  ].map((entry) => [entry.code, { ...entry, docs: docsLink(entry.code) }]),
);

/** `hybridnet explain <code>`: the entry as text. */
export function explain(entry: CatalogueEntry): string {
  return [
    entry.code,
    `  ${entry.summary}`,
    ...(entry.severity ? [`  severity: ${entry.severity}${entry.severity === 'error' ? ' (a hard rule: it cannot be lowered)' : ' (can be changed with rules: in the topology or --rule)'}`] : []),
    ...(entry.example ? [`  example: ${entry.example}`] : []),
    `  catalogue: ${entry.docs}`,
    '',
  ].join('\n');
}
