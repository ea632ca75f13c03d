/**
 * The artefact writer: the only code that puts generated files on disk (used by the command line
 * and by the Nx targets through it).
 *
 * Each target's files go to `<out>/<target>/` with a `manifest.json` (path, sha256, size).
 *
 * - Ownership: a target folder that exists is replaced only when its manifest says hybridnet
 *   wrote it (for that target); anything else (a project's own `docs/`) is refused, unless
 *   `force`.
 * - One step for the whole output: every target is first written in full into one staging
 *   folder in `<out>` (`.hybridnet-stage-<pid>-…`); a journal in it (written by rename) records
 *   the swap, each old target moves into the staging folder and each new one into place, and the
 *   journal is marked committed. An error rolls back at once; after a crash (even SIGKILL) the
 *   next write finds the staging folder of a process that is gone, reads its journal and rolls
 *   back (or, once committed, forward) before anything else, so the output is all old or all
 *   new, never mixed, and removes it.
 * - Targets are staged as they are generated (`stageArtefacts`): each is encoded and its files
 *   written by a thread of its own while the next one is generated; ownership is checked and the
 *   swap made once all are. A file unchanged since the previous version is linked to it, not
 *   written again.
 * - Folders get the mode the umask gives (staging folders start private, as mkdtemp makes them).
 * - Single files (`writeFileAtomic`) go through a temporary file created exclusively (O_EXCL,
 *   random name) beside the destination, so a planted symlink is never written through.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, readFile, realpath, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GeneratedFile } from '@hybridnet/model';
import { encodeWithHeader } from './header.ts';

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

/** A file as written: its path in the target folder and its bytes (UTF-8). */
export interface RenderedFile {
  readonly path: string;
  readonly bytes: Buffer;
}

/**
 * Final contents of a target folder, headers stamped and manifest included (pure). Each text is
 * encoded once: the manifest's hash and size and the write use the same bytes.
 */
export function renderTarget(topologyName: string, output: TargetOutput): RenderedFile[] {
  const seen = new Set<string>();
  const files = output.files.map((file) => {
    assertSafePath(file.path);
    if (seen.has(file.path) || file.path === 'manifest.json') throw new Error(`generator "${output.target}" emitted "${file.path}" twice`);
    seen.add(file.path);
    return { path: file.path, bytes: encodeWithHeader(file.path, file.content, topologyName, output.target) };
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest: Manifest = {
    generator: 'hybridnet',
    topology: topologyName,
    target: output.target,
    files: files.map((f) => ({ path: f.path, sha256: createHash('sha256').update(f.bytes).digest('hex'), bytes: f.bytes.length })),
  };
  return [...files, { path: 'manifest.json', bytes: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }];
}

/** Steps of a write, in order; a test hook may stop the write at any of them. */
export type WriteStep = 'staged' | 'journaled' | `old-moved:${string}` | `new-moved:${string}` | 'committed' | 'cleaned';

export interface WriteOptions {
  /** Replace target folders that hybridnet did not write. */
  readonly force?: boolean;
  /** For tests: called at each step; throwing (or killing the process) there simulates a failure. */
  readonly step?: (step: WriteStep) => void | Promise<void>;
  /** The target names a journal found in the output folder may name (any plain name when absent). */
  readonly knownTargets?: ReadonlySet<string>;
}

/** A refusal the user can act on (the command line reports it as a usage error). */
export class OwnershipError extends Error {}

const STAGE_PREFIX = '.hybridnet-stage-';
/**
 * The writing thread: each message is one target's folders and files, written in order; it
 * answers with its id (and the error, if one stopped it). A file whose previous version (the
 * same path in the target folder now in place) is a regular file with exactly these bytes is
 * linked to it instead of written again: regenerating an estate mostly rewrites what it wrote,
 * and removing the old version then frees no data (writing 35 MB and freeing 35 MB took a large
 * estate's second generate 0.2-0.4 s). The old version is only read, so it stays whole until the
 * swap; a link that fails (another file system, no hard links) falls back to writing.
 */
const WRITER = `const { parentPort } = require('node:worker_threads');
const { closeSync, constants, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readSync, unlinkSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
// Only a file of the previous version itself, as a fresh write would make it: its folders inside
// the target folder are real folders, not links to elsewhere; it is a regular file of this user
// with the mode a new file gets (so linking never keeps an older owner or a wider mode); nothing
// else links to it, so the new version shares its data with nothing but the old one, which the
// swap removes. It is read through a handle opened without following links, and the link made is
// checked to be that same file (same device and inode): swapping the path in between (a link to a
// file elsewhere) gets the link removed and the file written afresh.
const inside = (root, dir, folders) => {
  let real = folders.get(dir);
  if (real === undefined) {
    try {
      real = lstatSync(dir).isDirectory() && (dir === root || inside(root, dirname(dir), folders));
    } catch {
      real = false;
    }
    folders.set(dir, real);
  }
  return real;
};
const sameFile = (previous, bytes, fresh) => {
  let fd;
  try {
    fd = openSync(previous, constants.O_RDONLY | constants.O_NOFOLLOW);
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.nlink !== 1 || stat.size !== bytes.length || stat.uid !== fresh.uid || (stat.mode & 0o7777) !== fresh.mode) return undefined;
    const content = Buffer.allocUnsafe(bytes.length);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, content, read, bytes.length - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    return content.equals(bytes) ? stat : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};
const linked = (previous, path, stat) => {
  try {
    linkSync(previous, path);
  } catch {
    return false;
  }
  const made = lstatSync(path);
  if (made.isFile() && made.dev === stat.dev && made.ino === stat.ino) return true;
  unlinkSync(path);
  return false;
};
parentPort.on('message', ({ id, dirs, paths, root, previous, bytes, fresh }) => {
  try {
    for (const dir of dirs) mkdirSync(dir, { recursive: true });
    const folders = new Map();
    for (let i = 0; i < paths.length; i++) {
      const stat = inside(root, dirname(previous[i]), folders) ? sameFile(previous[i], bytes[i], fresh) : undefined;
      if (!(stat && linked(previous[i], paths[i], stat))) writeFileSync(paths[i], bytes[i]);
    }
    parentPort.postMessage({ id });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message || error), code: error && error.code } });
  }
});`;
/** Staging folders of writes running in this process. */
const active = new Set<string>();

interface Journal {
  readonly state: 'swapping' | 'committed';
  /** Each target, and whether a previous version of it existed (moved to <stage>/old/<target>). */
  readonly targets: { readonly target: string; readonly hadOld: boolean; readonly removed?: boolean }[];
}

/** A write in progress: targets are added as they are generated, then swapped in at once. */
export interface Staging {
  /** Encodes a target's files (headers, manifest) and starts writing them into the staging folder. */
  add(output: TargetOutput): void;
  /** Once every file is staged: checks ownership and swaps the new targets in, in one step; the folders written. */
  commit(): Promise<string[]>;
  /** Drops what was staged; the output folder stays as it was. */
  abort(): Promise<void>;
  /** Entries of the output folder named like staging folders that were left alone (not this user's hybridnet's). */
  readonly ignored: readonly string[];
}

/**
 * Each write stages in its own folder, named with its process id, and keeps its journal there;
 * writes of different targets into one output folder (Nx runs them side by side) never touch
 * each other's staging folders, and a staging folder is recovered only once its process is gone.
 */
export async function writeArtefacts(outDir: string, topologyName: string, outputs: readonly TargetOutput[], options: WriteOptions = {}): Promise<string[]> {
  const staging = await stageArtefacts(outDir, topologyName, options);
  try {
    for (const output of outputs) staging.add(output);
  } catch (error) {
    await staging.abort();
    throw error;
  }
  return staging.commit();
}

/**
 * Starts a write into `outDir` (see writeArtefacts). The caller adds each target as soon as it
 * is generated: its files are written while the next target is generated, whenever that one
 * waits (the docs generator waits for the diagram's layout).
 */
export async function stageArtefacts(outDir: string, topologyName: string, options: WriteOptions = {}): Promise<Staging> {
  const step = options.step ?? (() => {});
  const force = options.force ?? false;
  const created = await mkdir(outDir, { recursive: true });
  const ignored = await recoverOutput(outDir, options.knownTargets);
  const stage = await mkdtemp(join(outDir, `${STAGE_PREFIX}${process.pid}-${OWN_START}-`));
  active.add(stage);
  await mkdir(join(stage, 'old'));
  // The files are written by a thread of its own: this one is busy generating the next target,
  // and an open/write/close chain through the event loop advanced one step each time it was free
  // (a large estate's writes were still 0.4 s behind when the last target was generated).
  // It holds the process open only while a write is in flight.
  const thread = new Worker(WRITER, { eval: true, execArgv: [] }); // plain CommonJS, without this process's loader options
  thread.unref();
  const died = new Promise<never>((_, reject) => {
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the writing thread stopped (exit code ${code})`)));
  });
  died.catch(() => {}); // met where a write waits for it
  const answers = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  thread.on('message', ({ id, error }: { id: number; error?: { message: string; code?: string } }) => {
    const answer = answers.get(id)!;
    answers.delete(id);
    if (answers.size === 0) thread.unref();
    if (error) answer.reject(Object.assign(new Error(error.message), error.code ? { code: error.code } : {}));
    else answer.resolve();
  });
  const writes: Promise<void>[] = [];
  // A target with nothing to generate gets no folder; an earlier one of its own is removed in the same step.
  const added: { readonly target: string; readonly empty: boolean }[] = [];
  let open = true;
  // The staging folder stays in `active` until it is removed or swapped in, so a write running
  // beside this one in the same process never takes it for a crashed one's.
  const close = async (): Promise<boolean> => {
    if (!open) return false;
    open = false;
    await Promise.allSettled(writes);
    await thread.terminate();
    return true;
  };
  const drop = async (): Promise<void> => {
    if (!(await close())) return;
    await rm(stage, { recursive: true, force: true });
    active.delete(stage);
    if (created !== undefined) await rmdir(outDir).catch(() => {}); // made for this write, and still empty
  };

  return {
    ignored,
    add(output) {
      if (!open) throw new Error('this write is already finished');
      if (!TARGET_NAME.test(output.target)) throw new Error(`target name "${output.target}" is not a plain name`);
      added.push({ target: output.target, empty: output.files.length === 0 });
      if (output.files.length === 0) return;
      const files = renderTarget(topologyName, output);
      const paths = files.map((file) => join(stage, 'new', output.target, ...file.path.split('/')));
      const root = join(outDir, output.target);
      const previous = files.map((file) => join(root, ...file.path.split('/')));
      const dirs = [...new Set([join(stage, 'new', output.target), ...paths.map((p) => dirname(p))])];
      const bytes = files.map((file) => file.bytes);
      // A file's own memory moves to the thread; small files share Node's pool and are copied.
      const owned = [...new Set(bytes.filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength).map((b) => b.buffer as ArrayBuffer))];
      const id = writes.length;
      const written = Promise.race([new Promise<void>((resolve, reject) => answers.set(id, { resolve, reject })), died]);
      thread.ref();
      // What a fresh write gives a file: this user, 0666 less the umask (the thread may not read the umask itself).
      const fresh = { uid: process.getuid?.() ?? -1, mode: 0o666 & ~process.umask() };
      thread.postMessage({ id, dirs, paths, root, previous, bytes, fresh }, owned);
      written.catch(() => {}); // met in commit
      writes.push(written);
    },
    async commit() {
      let targets: Journal['targets'][number][];
      try {
        if (!open) throw new Error('this write is already finished');
        await Promise.all(writes);
        await step('staged');
        targets = await Promise.all(added.filter((a) => !a.empty).map(async ({ target }) => ({ target, hadOld: await ownedOrAbsent(join(outDir, target), target, force) })));
        for (const { target } of added.filter((a) => a.empty)) {
          if (await ownedOrAbsent(join(outDir, target), target, force)) targets.push({ target, hadOld: true, removed: true });
        }
      } catch (error) {
        await drop();
        throw error;
      }
      await close();
      try {
        return await swapIn(outDir, stage, targets, step);
      } finally {
        active.delete(stage);
      }
    },
    abort: drop,
  };
}

/** The staged targets go into place: journal, old versions aside, new ones in, committed, old ones removed. */
async function swapIn(outDir: string, stage: string, targets: Journal['targets'], step: NonNullable<WriteOptions['step']>): Promise<string[]> {
  const journal: Journal = { state: 'swapping', targets };
  await writeJournal(stage, journal);
  try {
    await step('journaled');
    for (const { target, hadOld, removed } of targets) {
      if (hadOld) await rename(join(outDir, target), join(stage, 'old', target));
      await step(`old-moved:${target}`);
      if (removed) continue;
      await rename(join(stage, 'new', target), join(outDir, target));
      await step(`new-moved:${target}`);
    }
    await writeJournal(stage, { ...journal, state: 'committed' });
  } catch (error) {
    await recoverStage(outDir, stage, journal);
    throw error;
  }
  await step('committed');
  // The new output is in place. What is left is clean-up; a file that cannot be removed (for
  // example an immutable one in an old version) stays in the hidden staging folder, which every
  // later write tries again to remove.
  await finish(stage).catch(() => {});
  await step('cleaned');
  return targets.filter((t) => !t.removed).map(({ target }) => join(outDir, target));
}

/**
 * Brings an output folder back to a whole state after interrupted writes: for each staging
 * folder whose process is gone, before its commit every target returns to its old version (or
 * disappears if it had none); after it, only the staging folder goes.
 *
 * An output folder may come from elsewhere (a repository, an archive), so nothing found in it is
 * trusted: a staging folder is recovered only when it is one this user's hybridnet made (a real
 * folder, not a link, owned by this user, private as mkdtemp makes it, named as this writer names
 * it), and its journal only when it is a real file of the same owner that names known targets
 * (plain names; `knownTargets` when given). Every path touched is `<out>/<target>` or inside the
 * staging folder. What does not qualify is left alone and returned, for the caller to mention.
 */
export async function recoverOutput(outDir: string, knownTargets?: ReadonlySet<string>): Promise<string[]> {
  const ignored: string[] = [];
  for (const entry of await readdir(outDir).catch(() => [] as string[])) {
    if (!entry.startsWith(STAGE_PREFIX)) continue;
    const stage = join(outDir, entry);
    const owner = STAGE_NAME.exec(entry);
    if (active.has(stage) || (owner && running(Number(owner[1]), owner[2]!))) continue;
    const journal = owner && (await ownStage(stage)) ? await readJournal(stage, knownTargets) : 'refused';
    if (journal === 'refused') {
      ignored.push(stage);
      continue;
    }
    await recoverStage(outDir, stage, journal);
  }
  return ignored;
}

/** `.hybridnet-stage-<pid>-<start>-<random>`: the process id and its start time, so a reused id is not taken for the writer. */
const STAGE_NAME = /^\.hybridnet-stage-(\d{1,10})-(\d{1,20}|x)-[A-Za-z0-9]{6}$/;
/** A plain target name: never a path. */
const TARGET_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** This process's start time in clock ticks since boot (Linux), or `x` where there is no /proc. */
function startTime(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
const OWN_START = startTime('self') ?? 'x';

/** Whether the process that made a staging folder still runs: the same id, started at the same time. */
function running(pid: number, start: string): boolean {
  // This process's own staging folders are running exactly while they are in `active`.
  if (!Number.isInteger(pid) || pid <= 0 || (pid === process.pid && start === OWN_START)) return false;
  if (start !== 'x') return startTime(pid) === start;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A staging folder this user's hybridnet made: a real folder of this user, private (mkdtemp's 0700). */
async function ownStage(stage: string): Promise<boolean> {
  const stat = await lstat(stage).catch(() => undefined);
  return stat !== undefined && stat.isDirectory() && ownedByMe(stat.uid) && (stat.mode & 0o077) === 0;
}

const ownedByMe = (uid: number) => process.getuid === undefined || uid === process.getuid();

/** The journal, when it is a real file of this user naming only plain, known targets; undefined when there is none. */
async function readJournal(stage: string, knownTargets: ReadonlySet<string> | undefined): Promise<Journal | undefined | 'refused'> {
  const path = join(stage, 'journal.json');
  const stat = await lstat(path).catch(() => undefined);
  if (stat === undefined) return undefined;
  if (!stat.isFile() || !ownedByMe(stat.uid) || stat.nlink !== 1 || stat.size > 1 << 20) return 'refused';
  const journal = await readFile(path, 'utf8').then((text) => JSON.parse(text) as unknown, () => undefined);
  const valid = (value: unknown): value is Journal => {
    const j = value as Journal | undefined;
    return (
      typeof j === 'object' && j !== null && (j.state === 'swapping' || j.state === 'committed') && Array.isArray(j.targets) &&
      j.targets.every((t) => typeof t === 'object' && t !== null && typeof t.target === 'string' && TARGET_NAME.test(t.target) && (knownTargets === undefined || knownTargets.has(t.target)) && typeof t.hadOld === 'boolean') &&
      new Set(j.targets.map((t) => t.target)).size === j.targets.length
    );
  };
  return valid(journal) ? journal : 'refused';
}

async function recoverStage(outDir: string, stage: string, journal: Journal | undefined): Promise<void> {
  if (journal?.state === 'swapping') {
    // Only real folders inside the staging folder count as versions (a link there is nobody's version).
    const isFolder = (path: string) => lstat(path).then((s) => s.isDirectory(), () => false);
    for (const { target, hadOld } of [...journal.targets].reverse()) {
      const final = join(outDir, target);
      const old = join(stage, 'old', target);
      const oldStillAside = await isFolder(old);
      // The new version is in place when its staged copy has gone (and, with an old version, that is aside).
      const newInPlace = !(await exists(join(stage, 'new', target))) && (!hadOld || oldStillAside);
      if (newInPlace) await rm(final, { recursive: true, force: true });
      if (hadOld && oldStillAside) await rename(old, final);
    }
  }
  await finish(stage).catch(() => {});
}

/** Once the output is whole: the journal goes first, then the staging folder (old versions). */
async function finish(stage: string): Promise<void> {
  await rm(join(stage, 'journal.json'), { force: true });
  await rm(stage, { recursive: true, force: true });
}

async function writeJournal(stage: string, journal: Journal): Promise<void> {
  await writeFileAtomic(join(stage, 'journal.json'), `${JSON.stringify(journal)}\n`);
}

const exists = (path: string) => lstat(path).then(() => true, () => false);

/** True when a target folder exists and hybridnet wrote it; false when absent; an OwnershipError otherwise. */
async function ownedOrAbsent(dir: string, target: string, force: boolean): Promise<boolean> {
  if (!(await exists(dir))) return false;
  if (force) return true;
  const manifest = await readFile(join(dir, 'manifest.json'), 'utf8').then((text) => JSON.parse(text) as Partial<Manifest>, () => undefined);
  if (manifest?.generator === 'hybridnet' && manifest.target === target) return true;
  throw new OwnershipError(`refusing to replace ${dir}: hybridnet did not write it (no hybridnet manifest.json for target ${target}); choose another --out, or pass --force to replace it`);
}

function assertSafePath(path: string): void {
  const normal = posix.normalize(path);
  if (path === '' || normal !== path || path.startsWith('/') || path.startsWith('../') || path.includes('\\') || path.includes('\0')) {
    throw new Error(`generated file path "${path}" is not a plain relative path`);
  }
}

/**
 * Writes one file whole or not at all: a temporary file created exclusively (O_EXCL, a random
 * name, so nothing planted there is followed) beside the destination, then a rename.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o666);
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Rewrites an existing file and keeps what makes it that file, as editors do: through a symbolic
 * link the file it points to is rewritten (the link stays a link); a file with other hard links is
 * rewritten in place (every name keeps seeing it); any other file is replaced whole by rename from
 * an exclusive temporary beside it that first takes the file's mode and, where this user may give
 * it, its owner and group (root rewriting another user's file leaves it theirs).
 */
export async function rewriteFile(path: string, content: string): Promise<void> {
  const target = await realpath(path);
  const info = await stat(target);
  if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
  if (info.nlink > 1) {
    const handle = await open(target, 'r+');
    try {
      await handle.truncate(0);
      await handle.write(content, 0, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return;
  }
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content);
      // Owner first: a chown clears set-id bits, which the mode then gives back.
      if (process.getuid?.() === 0 || info.uid !== process.getuid?.()) await handle.chown(info.uid, info.gid).catch(() => {});
      await handle.chmod(info.mode & 0o7777);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
