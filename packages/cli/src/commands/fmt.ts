/**
 * `hybridnet fmt <path...> [--check] [--diff]`: topology files, folders (their YAML topologies,
 * at any depth, past hidden folders, node_modules and dist) or `-` (standard input, written to
 * standard output), as `terraform fmt` takes them. --check changes nothing and exits 1 when a file
 * is not in canonical form; --diff prints the change as a unified diff instead of writing it (with
 * --check, exit 1 as well).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { formatTopology } from '@hybridnet/model';
import { InputError, loadTopologyFile } from '../pipeline.ts';
import { rewriteFile } from '../writer.ts';
import { EXIT, type CommandContext, type Register } from './context.ts';

interface FmtOptions {
  readonly check?: boolean;
  readonly diff?: boolean;
}

export const registerFmt: Register = (ctx) => {
  ctx.program
    .command('fmt')
    .description('Rewrite YAML topologies in canonical order and style (keys in schema order, two-space indent), keeping their comments; --check only says whether they would change, --diff shows how.')
    .argument('<path...>', 'topology files (YAML), folders (every YAML topology in them) or - (standard input, to standard output)')
    .option('--check', 'change nothing; exit 1 when a file is not in canonical form (for CI)')
    .option('--diff', 'print the changes as a unified diff instead of writing them')
    .action(async (paths: string[], options: FmtOptions) => {
      if (paths.filter((p) => p === '-').length > 1) throw new InputError('standard input (-) can be read once');
      const several = paths.length > 1;
      for (const path of paths) {
        if (path !== '-' && isFolder(path)) {
          for (const file of yamlFiles(path)) await formatOne(ctx, file, options, 'folder').catch(reportInput(ctx));
        } else {
          await formatOne(ctx, path, options, 'named').catch(several ? reportInput(ctx) : rethrow);
        }
      }
    });
};

const rethrow = (error: unknown): never => {
  throw error;
};

/** With several paths, a file that cannot be read is said and the others are still formatted (exit 2 at the end, as validate). */
const reportInput = (ctx: CommandContext) => (error: unknown) => {
  if (!(error instanceof InputError)) throw error;
  ctx.io.err(`hybridnet: ${error.message}\n`);
  ctx.exitCode = Math.max(ctx.exitCode, EXIT.usage);
};

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The YAML files below a folder, in a stable order, past hidden folders, node_modules and dist. */
function yamlFiles(folder: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(folder, e.name);
    if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== 'dist') out.push(...yamlFiles(path));
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(path);
  }
  return out;
}

/**
 * One file. `folder`: found in a folder, where a YAML file that is not a topology (a CI workflow,
 * say) is passed over in silence; named, it is refused.
 */
async function formatOne(ctx: CommandContext, file: string, options: FmtOptions, found: 'named' | 'folder'): Promise<void> {
  const { io } = ctx;
  if (file.endsWith('.json')) throw new InputError(`fmt rewrites YAML topologies; ${file} is JSON`);
  const stdin = file === '-';
  // Read as validate reads it (size limit, encoding, syntax, duplicate keys, YAML bombs).
  const loaded = await loadTopologyFile(file, ctx.rawIo.stdin);
  if (loaded.text !== undefined) ctx.sources.set(loaded.file, loaded.text);
  const refusals = loaded.diagnostics.filter((d) => d.code.startsWith('hybridnet/load/'));
  if (refusals.length > 0 || loaded.text === undefined) {
    ctx.printDiagnostics(refusals.length > 0 ? refusals : loaded.diagnostics, 'text', file);
    ctx.exitCode = Math.max(ctx.exitCode, EXIT.diagnostics);
    return;
  }
  const text = loaded.text;
  const result = formatTopology(text);
  if (!result.ok) {
    if (result.reason === 'not-topology') {
      if (found === 'folder') return;
      throw new InputError(`${file}: ${result.message}`);
    }
    const before = text.slice(0, result.offset).split('\n');
    const code = result.reason === 'changes-meaning' ? 'hybridnet/cli/fmt-changes-meaning' : 'hybridnet/load/yaml-syntax';
    ctx.printDiagnostics([{ code, severity: 'error', message: result.message, path: [], file: loaded.file, line: before.length, column: before.at(-1)!.length + 1 }], 'text', file);
    ctx.exitCode = Math.max(ctx.exitCode, EXIT.diagnostics);
    return;
  }
  const changed = result.text !== text;
  if (options.diff) {
    if (changed) io.out(createTwoFilesPatch(`a/${loaded.file}`, `b/${loaded.file}`, text, result.text, undefined, undefined, { context: 3 }).replace(/^=+\n/, ''));
  } else if (stdin) {
    if (!options.check) io.out(result.text);
  } else if (!changed) {
    if (found === 'named') io.out(`${file}: already formatted\n`);
  } else if (options.check) {
    io.out(`${file}: not formatted (run hybridnet fmt ${file})\n`);
  } else {
    await rewriteFile(file, result.text).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`cannot write ${file}: ${error.code ? `${error.code} ` : ''}${error.message}`);
    });
    io.out(`formatted ${file}\n`);
  }
  if (changed && options.check) ctx.exitCode = Math.max(ctx.exitCode, EXIT.diagnostics);
}
