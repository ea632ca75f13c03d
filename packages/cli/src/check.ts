/**
 * `hybridnet generate --check`: the generated Bicep through the Bicep CLI's own compiler and
 * linter (`bicep lint`, default rules), each finding a positioned diagnostic on the file as it
 * will be written (`<out>/bicep/main.bicep:12:5`). The CLI is the one HYBRIDNET_BICEP names, else
 * `bicep` on PATH; without one the check is skipped, and the command says so once.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '@hybridnet/model';
import { renderTarget, type TargetOutput } from './writer.ts';

export const CHECK_CODES = {
  'hybridnet/check/bicep': 'a finding of the Bicep CLI (compiler or linter) on the generated Bicep; the message names the Bicep rule',
  'hybridnet/check/bicep-skipped': 'generate --check found no Bicep CLI (bicep on PATH, or HYBRIDNET_BICEP), so the Bicep was not built or linted',
  'hybridnet/check/bicep-failed': 'the Bicep CLI could not be run or gave no readable answer',
} as const;

export interface SarifResult {
  readonly ruleId: string;
  readonly level?: string;
  readonly message: { readonly text: string };
  readonly locations?: { readonly physicalLocation: { readonly artifactLocation: { readonly uri: string }; readonly region?: { readonly startLine?: number; readonly charOffset?: number } } }[];
}

/** Runs `bicep` with the arguments; resolves with its exit code and output, or the spawn error. */
function runBicep(bicep: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    execFile(bicep, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } }, (error, stdout, stderr) => {
      const spawnFailed = error && typeof (error as NodeJS.ErrnoException).code === 'string';
      resolve({ code: error ? Number((error as { code?: unknown }).code) || 1 : 0, stdout, stderr, ...(spawnFailed ? { error } : {}) });
    });
  });
}

/** The Bicep CLI to use: HYBRIDNET_BICEP, else `bicep` if it answers on PATH; undefined without one. */
async function findBicep(): Promise<string | undefined> {
  const candidate = process.env.HYBRIDNET_BICEP || 'bicep';
  const probe = await runBicep(candidate, ['--version']);
  return probe.error || probe.code !== 0 ? undefined : candidate;
}

/** Builds and lints the Bicep of `bicep` (a generator output) as it will be written under `outDir`. */
export async function checkBicep(output: TargetOutput, topologyName: string, outDir: string): Promise<Diagnostic[]> {
  const bicep = await findBicep();
  if (!bicep) {
    return [{ code: 'hybridnet/check/bicep-skipped', severity: 'warning', path: [], message: 'no Bicep CLI found, so the generated Bicep was not built or linted', hint: 'install the Bicep CLI (bicep on PATH) or set HYBRIDNET_BICEP to its path' }];
  }
  const scratch = await mkdtemp(join(tmpdir(), 'hybridnet-check-'));
  try {
    for (const f of renderTarget(topologyName, output)) {
      if (!f.path.endsWith('.bicep') && !f.path.endsWith('.bicepparam')) continue;
      await mkdir(dirname(join(scratch, f.path)), { recursive: true });
      await writeFile(join(scratch, f.path), f.bytes);
    }
    const lint = await runBicep(bicep, ['lint', '--pattern', `${scratch}/**/*.bicep`, '--diagnostics-format', 'sarif']);
    const results = lint.error ? undefined : parseSarifLogs(`${lint.stdout}\n${lint.stderr}`);
    if (!results) {
      return [{ code: 'hybridnet/check/bicep-failed', severity: 'error', path: [], message: `the Bicep CLI (${bicep}) did not lint the generated Bicep: ${(lint.error?.message ?? lint.stderr).trim().slice(0, 400)}`, hint: 'run bicep lint on the generated main.bicep by hand to see why' }];
    }
    return results.map((r) => {
      const location = r.locations?.[0]?.physicalLocation;
      const path = location ? relative(scratch, fileURLToPath(location.artifactLocation.uri)).split(sep).join('/') : 'main.bicep';
      return {
        code: 'hybridnet/check/bicep',
        severity: r.level === 'error' ? 'error' : 'warning',
        path: [],
        message: `${r.ruleId}: ${r.message.text.replace(/ \[https:[^\]]+\]$/, '')}`,
        hint: 'a generator defect: please report it with the topology',
        file: join(outDir, output.target, path),
        line: location?.region?.startLine ?? 1,
        column: location?.region?.charOffset ?? 1,
      } satisfies Diagnostic;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The results of the SARIF logs in a Bicep CLI's output (`bicep lint --pattern` prints one log per
 * file, one after the other; `bicep build` prints on stderr): [] when there is no log, undefined
 * when the text is not SARIF.
 */
export function parseSarifLogs(text: string): SarifResult[] | undefined {
  const results: SarifResult[] = [];
  let depth = 0;
  let from = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"' && depth > 0) inString = true;
    else if (c === '{') {
      if (depth++ === 0) from = i;
    } else if (c === '}' && depth > 0 && --depth === 0) {
      try {
        const log = JSON.parse(text.slice(from, i + 1)) as { runs?: { results?: SarifResult[] }[] };
        results.push(...(log.runs ?? []).flatMap((r) => r.results ?? []));
      } catch {
        return undefined;
      }
    }
  }
  return depth === 0 && (from >= 0 || text.trim() === '') ? results : undefined;
}
