/**
 * The artefact writer: the only code that puts generated files on disk (used by the command line
 * and by the Nx targets through it).
 *
 * Each target's files go to `<out>/<target>/` with a `manifest.json` (path, sha256, size). All
 * targets are first written in full to temporary folders beside their destination; only then is
 * each swapped into place by rename. A failure before that point removes the temporaries and
 * leaves every earlier output untouched.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { GeneratedFile } from '@hybridnet/model';
import { withHeader } from './header.ts';

export interface TargetOutput {
  readonly target: string;
  readonly files: readonly GeneratedFile[];
}

export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface Manifest {
  readonly generator: 'hybridnet';
  readonly topology: string;
  readonly target: string;
  readonly files: ManifestEntry[];
}

/** Final contents of a target folder, headers stamped and manifest included (pure). */
export function renderTarget(topologyName: string, output: TargetOutput): GeneratedFile[] {
  const seen = new Set<string>();
  const files = output.files.map((file) => {
    assertSafePath(file.path);
    if (seen.has(file.path) || file.path === 'manifest.json') throw new Error(`generator "${output.target}" emitted "${file.path}" twice`);
    seen.add(file.path);
    return { path: file.path, content: withHeader(file.path, file.content, topologyName, output.target) };
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest: Manifest = {
    generator: 'hybridnet',
    topology: topologyName,
    target: output.target,
    files: files.map((f) => ({ path: f.path, sha256: createHash('sha256').update(f.content).digest('hex'), bytes: Buffer.byteLength(f.content) })),
  };
  return [...files, { path: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` }];
}

export async function writeArtefacts(outDir: string, topologyName: string, outputs: readonly TargetOutput[]): Promise<string[]> {
  const rendered = outputs.map((o) => ({ target: o.target, files: renderTarget(topologyName, o) }));
  await mkdir(outDir, { recursive: true });
  const staged: { target: string; temp: string }[] = [];
  try {
    for (const { target, files } of rendered) {
      const temp = await mkdtemp(join(outDir, `.${target}.tmp-`));
      staged.push({ target, temp });
      const paths = files.map((file) => join(temp, ...file.path.split('/')));
      for (const dir of new Set(paths.map((p) => dirname(p)))) await mkdir(dir, { recursive: true });
      await Promise.all(files.map((file, i) => writeFile(paths[i]!, file.content)));
    }
  } catch (error) {
    await Promise.all(staged.map((s) => rm(s.temp, { recursive: true, force: true })));
    throw error;
  }
  const written: string[] = [];
  for (const { target, temp } of staged) {
    const final = join(outDir, target);
    const old = `${temp}.old`;
    await rename(final, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(temp, final);
    await rm(old, { recursive: true, force: true });
    written.push(final);
  }
  return written;
}

function assertSafePath(path: string): void {
  const normal = posix.normalize(path);
  if (path === '' || normal !== path || path.startsWith('/') || path.startsWith('../') || path.includes('\\') || path.includes('\0')) {
    throw new Error(`generated file path "${path}" is not a plain relative path`);
  }
}

/** Writes one file whole or not at all: a temporary file beside it, then a rename. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
