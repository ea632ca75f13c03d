/**
 * The vendors' own checkers for tests: the Bicep CLI, PowerShell (pwsh) and Pester, as
 * tools/vendor-tools/install.sh lays them out (or named by HYBRIDNET_BICEP / HYBRIDNET_PWSH /
 * HYBRIDNET_PESTER). A suite that needs one skips with a one-line reason where it is missing,
 * except under CI, where it must run and fails instead.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cache = process.env.HYBRIDNET_TOOLS_CACHE ?? fileURLToPath(new URL('../../.cache/vendor-tools/', import.meta.url));
// npm run test:quick (HYBRIDNET_QUICK=1) runs without them.
const quick = process.env.HYBRIDNET_QUICK === '1';
const found = (env: string | undefined, path: string) => (quick ? undefined : env && existsSync(env) ? env : existsSync(path) ? path : undefined);

export const BICEP = found(process.env.HYBRIDNET_BICEP, join(cache, 'nuget/azure.bicep.commandline.linux-x64/0.49.2/tools/bicep'));
export const PWSH = found(process.env.HYBRIDNET_PWSH, join(cache, 'pwsh-7.6.9/pwsh'));
export const PESTER = found(process.env.HYBRIDNET_PESTER, join(cache, 'nuget/pester/6.2.0/tools/Pester.psd1'));

/**
 * Whether a suite that needs `tools` skips: it does (saying why once) where one is missing,
 * unless CI is set, where the suite runs and its first assertion on the tool fails.
 */
export function skipWithout(suite: string, tools: Record<string, string | undefined>): boolean {
  const missing = Object.entries(tools).filter(([, path]) => !path).map(([name]) => name);
  if (missing.length === 0) return false;
  if (process.env.CI === 'true' && !quick) return false;
  console.warn(`skipped ${suite}: ${missing.join(', ')} not installed (needs the .NET SDK; tools/vendor-tools/install.sh installs them)`);
  return true;
}

export function run(tool: string | undefined, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnSyncReturns<string> {
  if (!tool) throw new Error('vendor tool not installed (tools/vendor-tools/install.sh)');
  return spawnSync(tool, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    cwd: options.cwd,
    input: options.input,
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off', NO_COLOR: '1', ...options.env },
  });
}

/** Runs a PowerShell script text in one pwsh process (no profile, non-interactive); `args` reach it as $args. */
export function pwsh(script: string, args: readonly string[] = [], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hybridnet-pwsh-'));
  const file = join(dir, 'run.ps1');
  writeFileSync(file, `$ErrorActionPreference = 'Stop'\n$PSStyle.OutputRendering = 'PlainText'\n${script}`);
  return run(PWSH, ['-NoProfile', '-NonInteractive', '-File', file, ...args], options);
}

export interface PsParseError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly id: string;
  readonly message: string;
}

/**
 * Parses PowerShell files with PowerShell's own parser
 * (System.Management.Automation.Language.Parser.ParseFile), all in one pwsh process.
 */
export function parsePowerShellFiles(files: readonly string[]): PsParseError[] {
  if (files.length === 0) return [];
  const list = join(mkdtempSync(join(tmpdir(), 'hybridnet-parse-')), 'files.json');
  writeFileSync(list, JSON.stringify(files));
  const result = pwsh(
    `$files = Get-Content -Raw -LiteralPath $args[0] | ConvertFrom-Json
$errors = foreach ($f in $files) {
  $tokens = $null; $parseErrors = $null
  [void][System.Management.Automation.Language.Parser]::ParseFile($f, [ref]$tokens, [ref]$parseErrors)
  foreach ($e in $parseErrors) { [pscustomobject]@{ file = $f; line = $e.Extent.StartLineNumber; column = $e.Extent.StartColumnNumber; id = $e.ErrorId; message = $e.Message } }
}
ConvertTo-Json -InputObject @($errors) -Depth 3 -Compress`,
    [list],
  );
  if (result.status !== 0) throw new Error(`pwsh failed: ${result.stderr}${result.stdout}`);
  return JSON.parse(result.stdout) as PsParseError[];
}
