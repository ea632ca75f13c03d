/**
 * Severity overrides, as the Bicep linter's configuration has them: `rules:` in the topology and
 * `--rule code=level` on the command line (which wins). A warning or an info can be raised to an
 * error or silenced (`off`); a hard rule's errors stay errors, since Azure or the target would
 * refuse the result anyway. Each override is checked against the catalogue of codes.
 */
import { closest, distance } from 'fastest-levenshtein';
import { RuleLevel, type Diagnostic, type LoadResult } from '@hybridnet/model';
import { InputError } from './errors.ts';

export type Levels = ReadonlyMap<string, RuleLevel>;

/** `--rule code=level` values, parsed (a malformed one is a usage error). */
export function parseRuleOptions(values: readonly string[]): Map<string, RuleLevel> {
  const levels = new Map<string, RuleLevel>();
  for (const value of values) {
    const at = value.lastIndexOf('=');
    const level = RuleLevel.safeParse(value.slice(at + 1));
    if (at < 1 || !level.success) throw new InputError(`--rule takes code=level with level error, warning, info or off, not "${value}"`);
    levels.set(value.slice(0, at), level.data);
  }
  return levels;
}

/**
 * The levels in force (topology, then command line) and what is wrong with them, positioned on
 * the topology's `rules.<code>` entry. Loads the catalogue only when there is an override.
 */
export async function ruleLevels(loaded: LoadResult, command: ReadonlyMap<string, RuleLevel>): Promise<{ levels: Levels; diagnostics: Diagnostic[] }> {
  const fromFile = Object.entries(loaded.topology?.rules ?? {});
  if (fromFile.length === 0 && command.size === 0) return { levels: new Map(), diagnostics: [] };
  const { CATALOGUE } = await import('./catalogue.ts');
  const diagnostics: Diagnostic[] = [];
  const levels = new Map<string, RuleLevel>();
  const entries = [...fromFile.map(([code, level]) => ({ code, level, path: ['rules', code] })), ...[...command].map(([code, level]) => ({ code, level, path: [] as string[] }))];
  for (const { code, level, path } of entries) {
    const where = { file: loaded.file, ...loaded.locate(path, true) };
    // A wrong --rule is a usage error (exit 2); a wrong rules: entry a positioned diagnostic.
    const report = (d: Diagnostic) => {
      if (path.length === 0) throw new InputError(`--rule ${code}=${level}: ${d.message}; ${d.hint}`);
      diagnostics.push(d);
    };
    const entry = CATALOGUE.get(code);
    if (!entry) {
      const near = closest(code, [...CATALOGUE.keys()]);
      const hint = distance(code, near) <= Math.max(3, Math.floor(code.length / 4)) ? `did you mean "${near}"?` : 'hybridnet explain lists every code';
      report({ code: 'hybridnet/cli/unknown-rule', severity: 'error', path, message: `no diagnostic has the code "${code}"`, hint, ...where });
      continue;
    }
    if (entry.severity === 'error' && level !== 'error') {
      report({ code: 'hybridnet/cli/rule-not-lowerable', severity: 'error', path, message: `${code} is a hard rule: its findings stay errors (asked for ${level})`, hint: 'fix the topology instead; only warnings and infos can be changed', ...where });
      continue;
    }
    levels.set(code, level);
  }
  return { levels, diagnostics };
}

/** The diagnostics with their levels applied: `off` drops, others change the severity; an error is never lowered. */
export function applyLevels(diagnostics: readonly Diagnostic[], levels: Levels): Diagnostic[] {
  if (levels.size === 0) return [...diagnostics];
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const level = levels.get(d.code);
    if (!level || d.severity === 'error') out.push(d);
    else if (level !== 'off') out.push({ ...d, severity: level });
  }
  return out;
}
