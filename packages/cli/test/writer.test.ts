/**
 * The writer never destroys or mixes data: it replaces only folders hybridnet wrote, makes the
 * whole output one step (an error or a SIGKILL at any step of the swap leaves it all old or all
 * new, with no temporary folder behind), writes single files through exclusive random temporaries,
 * and gives folders the mode the umask asks for.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recoverOutput, writeArtefacts, type WriteStep } from '../src/writer.ts';
import { cli, tempDir, tree } from './helpers.ts';

const bin = new URL('../bin/hybridnet.js', import.meta.url).pathname;
const EXAMPLE = 'examples/branch-to-branch/topology.yaml';

const version = (n: number) => [
  { target: 'alpha', files: [{ path: 'a.txt', content: `alpha v${n}\n` }, { path: 'nested/b.txt', content: `beta v${n}\n` }] },
  { target: 'beta', files: [{ path: 'c.txt', content: `gamma v${n}\n` }] },
];
const STEPS: WriteStep[] = ['staged', 'journaled', 'old-moved:alpha', 'new-moved:alpha', 'old-moved:beta', 'new-moved:beta', 'committed', 'cleaned'];
/** What a reader sees: the targets' files, and nothing hidden in the output folder. */
const visible = (dir: string) => tree(dir);

describe('the writer replaces only what hybridnet wrote', () => {
  it('refuses to replace a project folder without a hybridnet manifest, names --force, and writes nothing', async () => {
    const out = tempDir();
    mkdirSync(join(out, 'docs'));
    writeFileSync(join(out, 'docs', 'guide.md'), 'the project\'s own documentation\n');
    const before = tree(out);
    const result = await cli(['generate', EXAMPLE, '--out', out, '--target', 'bicep,docs']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`refusing to replace ${join(out, 'docs')}: hybridnet did not write it`);
    expect(result.stderr).toContain('--force');
    expect(tree(out)).toEqual(before);
    expect(readdirSync(out)).toEqual(['docs']);
  });

  it('replaces it with --force, and its own earlier output without asking', async () => {
    const out = tempDir();
    mkdirSync(join(out, 'docs'));
    writeFileSync(join(out, 'docs', 'guide.md'), 'old\n');
    expect((await cli(['generate', EXAMPLE, '--out', out, '--target', 'docs', '--force'])).code).toBe(0);
    expect(existsSync(join(out, 'docs', 'guide.md'))).toBe(false);
    expect((await cli(['generate', EXAMPLE, '--out', out, '--target', 'docs'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'docs', 'manifest.json'), 'utf8')).target).toBe('docs');
  });

  it('says what is wrong with an empty --out', async () => {
    const result = await cli(['generate', EXAMPLE, '--out', '']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('hybridnet: --out needs a folder\n');
  });
});

describe('the whole output is one step', () => {
  it.each(STEPS.slice(0, 6))('an error at %s leaves the old output whole, with nothing left over', async (at) => {
    const out = tempDir();
    await writeArtefacts(out, 'x', version(1));
    const old = visible(out);
    await expect(writeArtefacts(out, 'x', version(2), { step: (s) => { if (s === at) throw new Error(`stopped at ${s}`); } })).rejects.toThrow(`stopped at ${at}`);
    expect(visible(out)).toEqual(old);
    expect(readdirSync(out).sort()).toEqual(['alpha', 'beta']);
  });

  it.each(STEPS)('a SIGKILL at %s leaves all old or all new once the next run has recovered, never a mix', (at) => {
    const out = tempDir();
    const first = spawnSync(process.execPath, [bin, 'generate', EXAMPLE, '--out', out, '--target', 'bicep,rras'], { encoding: 'utf8' });
    expect(first.status).toBe(0);
    const old = tree(out);
    const changed = join(tempDir(), 'topology.yaml');
    writeFileSync(changed, readFileSync(EXAMPLE, 'utf8').replace('location: westeurope', 'location: northeurope'));
    const killed = spawnSync(process.execPath, [bin, 'generate', changed, '--out', out, '--target', 'bicep,rras'], { encoding: 'utf8', env: { ...process.env, HYBRIDNET_TEST_KILL_AT: at.replace('alpha', 'bicep').replace('beta', 'rras') } });
    expect(killed.signal).toBe('SIGKILL');
    return recoverOutput(out).then(() => {
      const after = tree(out);
      const names = readdirSync(out).sort();
      expect(names).toEqual(['bicep', 'rras']);
      const isNew = after['bicep/main.bicep']!.includes("'northeurope'");
      if (at === 'committed' || at === 'cleaned') expect(isNew).toBe(true);
      else expect(after).toEqual(old);
      // Never a mix: both targets come from the same run.
      expect(after['rras/manifest.json'] !== undefined).toBe(true);
      const again = spawnSync(process.execPath, [bin, 'generate', changed, '--out', out, '--target', 'bicep,rras'], { encoding: 'utf8' });
      expect(again.status).toBe(0);
      expect(tree(out)['bicep/main.bicep']).toContain("'northeurope'");
      expect(readdirSync(out).sort()).toEqual(['bicep', 'rras']);
    });
  }, 60_000);

  describe('an undeletable file in an old target', () => {
    let locked: string | undefined;
    afterEach(() => {
      if (locked) spawnSync('chattr', ['-i', locked]);
      locked = undefined;
    });

    it('still puts the whole new output in place; the old version waits hidden for the next write', async () => {
      const out = tempDir();
      await writeArtefacts(out, 'x', version(1));
      locked = join(out, 'alpha', 'nested', 'b.txt');
      // As root only the immutable attribute stops a removal; otherwise a read-only folder does.
      const immutable = process.getuid?.() === 0 ? spawnSync('chattr', ['+i', locked]).status === 0 : (chmodSync(join(out, 'alpha', 'nested'), 0o500), true);
      if (!immutable) return;
      await writeArtefacts(out, 'x', version(2));
      expect(readFileSync(join(out, 'alpha', 'a.txt'), 'utf8')).toContain('alpha v2');
      expect(readFileSync(join(out, 'alpha', 'nested', 'b.txt'), 'utf8')).toContain('beta v2');
      expect(readFileSync(join(out, 'beta', 'c.txt'), 'utf8')).toContain('gamma v2');
      const hidden = readdirSync(out).filter((n) => n.startsWith('.'));
      expect(hidden).toHaveLength(1);
      expect(hidden[0]).toMatch(/^\.hybridnet-stage-/);
      // The old version moved aside, with its undeletable file; once that can go, the next write removes it.
      locked = join(out, hidden[0]!, 'old', 'alpha', 'nested', 'b.txt');
      expect(readFileSync(locked, 'utf8')).toContain('beta v1');
      if (process.getuid?.() === 0) spawnSync('chattr', ['-i', locked]);
      else chmodSync(dirname(locked), 0o700);
      locked = undefined;
      await writeArtefacts(out, 'x', version(3));
      expect(readdirSync(out).sort()).toEqual(['alpha', 'beta']);
    });
  });

  it('removes the staging folder of an earlier crashed write, and nothing else that is hidden', async () => {
    const out = tempDir();
    await writeArtefacts(out, 'x', version(1));
    mkdirSync(join(out, '.hybridnet-stage-999999999-x-abc123', 'new', 'alpha'), { recursive: true, mode: 0o700 }); // a process that is gone
    chmodSync(join(out, '.hybridnet-stage-999999999-x-abc123'), 0o700);
    // Hidden entries that merely look temporary are the user's: never removed.
    mkdirSync(join(out, '.terraform.tmp-backup'));
    writeFileSync(join(out, '.env.tmp-old'), 'SECRET=1\n');
    await writeArtefacts(out, 'x', version(2));
    expect(readdirSync(out).sort()).toEqual(['.env.tmp-old', '.terraform.tmp-backup', 'alpha', 'beta']);
  });

  it('recovers a crashed write even when its process id now belongs to another process (the start time differs)', async () => {
    const out = tempDir();
    await writeArtefacts(out, 'x', version(1));
    const old = visible(out);
    // A write that died after moving alpha's old version aside; pid 1 runs, but did not start at tick 1.
    const stage = join(out, '.hybridnet-stage-1-1-Abc123');
    mkdirSync(join(stage, 'old'), { recursive: true });
    chmodSync(stage, 0o700);
    renameSync(join(out, 'alpha'), join(stage, 'old', 'alpha'));
    writeFileSync(join(stage, 'journal.json'), JSON.stringify({ state: 'swapping', targets: [{ target: 'alpha', hadOld: true }] }));
    await recoverOutput(out);
    expect(visible(out)).toEqual(old);
    expect(readdirSync(out).sort()).toEqual(['alpha', 'beta']);
  });
});

/**
 * An output folder may come from a repository or an archive: a planted "staging folder" and its
 * journal must never make a write delete, move or overwrite anything outside it (issue: a
 * journal naming `../src` deleted the project's sources; one naming `../../.bashrc` moved a file
 * over the user's).
 */
describe('an output folder from elsewhere is never trusted', () => {
  /** A project with sources, a neighbour, and an output folder carrying a planted journal. */
  const plant = (journal: unknown, options: { mode?: number; stageName?: string } = {}) => {
    const project = tempDir();
    mkdirSync(join(project, 'src'));
    writeFileSync(join(project, 'src', 'main.ts'), 'the sources\n');
    writeFileSync(join(project, 'victim'), 'the user\'s file\n');
    const stage = join(project, 'out', options.stageName ?? '.hybridnet-stage-0-x-Abc123');
    mkdirSync(join(stage, 'old'), { recursive: true });
    chmodSync(stage, options.mode ?? 0o700);
    // What the journal would move back over ../victim.
    writeFileSync(join(stage, 'attacker'), 'planted\n');
    writeFileSync(join(stage, 'journal.json'), JSON.stringify(journal));
    return { project, out: join(project, 'out'), stage };
  };
  const untouched = (project: string) => {
    expect(readFileSync(join(project, 'src', 'main.ts'), 'utf8')).toBe('the sources\n');
    expect(readFileSync(join(project, 'victim'), 'utf8')).toBe('the user\'s file\n');
  };

  it.each([
    ['a target that climbs out of --out', { state: 'swapping', targets: [{ target: '../src', hadOld: false }, { target: '../../victim', hadOld: true }] }],
    ['an absolute target', { state: 'swapping', targets: [{ target: '/tmp', hadOld: false }] }],
    ['a target that is not a name the writer knows', { state: 'swapping', targets: [{ target: 'src', hadOld: false }] }],
    ['a malformed journal', { state: 'swapping', targets: 'everything' }],
  ])('generate leaves everything outside its targets alone: %s', (_, journal) => {
    const { project, out, stage } = plant(journal);
    const result = spawnSync(process.execPath, [bin, 'generate', EXAMPLE, '--out', out, '--target', 'bicep'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    untouched(project);
    expect(existsSync(join(out, 'bicep', 'main.bicep'))).toBe(true);
    // The planted folder stays, and the user is told.
    expect(existsSync(join(stage, 'journal.json'))).toBe(true);
    expect(result.stderr).toContain(`left ${stage} alone`);
  });

  it('a staging folder this user did not make privately (a clone makes folders 0755) is left alone', async () => {
    const { project, out, stage } = plant({ state: 'swapping', targets: [{ target: 'bicep', hadOld: false }] }, { mode: 0o755 });
    mkdirSync(join(out, 'bicep'));
    writeFileSync(join(out, 'bicep', 'keep.txt'), 'mine\n');
    expect(await recoverOutput(out, new Set(['bicep']))).toEqual([stage]);
    expect(readFileSync(join(out, 'bicep', 'keep.txt'), 'utf8')).toBe('mine\n');
    untouched(project);
  });

  it('a staging folder that is a link is not followed, and a journal that is a link is not read', async () => {
    const { project, out } = plant({ state: 'committed', targets: [] });
    const elsewhere = join(project, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    writeFileSync(join(elsewhere, 'precious'), 'kept\n');
    symlinkSync(elsewhere, join(out, '.hybridnet-stage-0-x-Lnk123'));
    const linkedJournal = join(out, '.hybridnet-stage-0-x-Jnl123');
    mkdirSync(linkedJournal, { mode: 0o700 });
    symlinkSync(join(project, 'victim'), join(linkedJournal, 'journal.json'));
    const ignored = await recoverOutput(out);
    // The planted folder with a well-formed journal of nothing is removed like any crashed write's; the links are not.
    expect(ignored.sort()).toEqual([linkedJournal, join(out, '.hybridnet-stage-0-x-Lnk123')].sort());
    expect(readFileSync(join(elsewhere, 'precious'), 'utf8')).toBe('kept\n');
    untouched(project);
  });
});

describe('writes side by side', () => {
  it('different targets written into one folder at the same time (as Nx runs them) all land whole', async () => {
    const out = tempDir();
    const runs = ['bicep', 'rras', 'cloudformation', 'barracuda', 'docs'].map((target) => new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [bin, 'generate', 'examples/webapp-hybrid/topology.yaml', '--out', out, '--target', target], { stdio: 'ignore' });
      child.on('exit', (code) => resolve(code));
    }));
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0, 0]);
    expect(readdirSync(out).sort()).toEqual(['barracuda', 'bicep', 'cloudformation', 'docs', 'rras']);
    for (const target of readdirSync(out)) expect(JSON.parse(readFileSync(join(out, target, 'manifest.json'), 'utf8')).target).toBe(target);
  }, 60_000);
});

describe('files and folders', () => {
  it('folders get the mode the umask gives (0755 under umask 022), not 0700', async () => {
    const out = tempDir();
    const previous = process.umask(0o022);
    try {
      await writeArtefacts(out, 'x', version(1));
    } finally {
      process.umask(previous);
    }
    for (const dir of ['alpha', 'alpha/nested', 'beta']) expect((statSync(join(out, dir)).mode & 0o777).toString(8), dir).toBe('755');
  });

  it('diagram --out never writes through a planted symlink (temporaries are exclusive and random)', async () => {
    const dir = tempDir();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    const out = join(dir, 'diagram.mmd');
    // The old temporary name was predictable: <out>.tmp-<pid>.
    symlinkSync(victim, `${out}.tmp-${process.pid}`);
    const result = await cli(['diagram', EXAMPLE, '--format', 'mermaid', '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(readFileSync(out, 'utf8')).toContain('flowchart');
  });
});

describe('the writing thread', () => {
  it('writes large and small files byte for byte, in nested folders', async () => {
    const out = tempDir();
    // Above Node's pool size (its memory moves to the thread) and below it (copied), ASCII and not.
    const large = `${'route 10.0.0.0/8 → gateway\n'.repeat(20_000)}`;
    await writeArtefacts(out, 'x', [{ target: 'alpha', files: [{ path: 'large.txt', content: large }, { path: 'deep/er/small.txt', content: 'small é\n' }] }]);
    expect(readFileSync(join(out, 'alpha', 'large.txt'), 'utf8').endsWith(`\n${large}`)).toBe(true);
    expect(readFileSync(join(out, 'alpha', 'deep/er/small.txt'), 'utf8').endsWith('\nsmall é\n')).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'alpha', 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string; bytes: number }) => [f.path, f.bytes])).toEqual([['deep/er/small.txt', statSync(join(out, 'alpha', 'deep/er/small.txt')).size], ['large.txt', statSync(join(out, 'alpha', 'large.txt')).size]]);
  });

  it('keeps an unchanged file (the same inode, so nothing is written or freed) and writes a changed one anew', async () => {
    const out = tempDir();
    await writeArtefacts(out, 'x', version(1));
    const inode = (path: string) => statSync(join(out, path)).ino;
    const before = { same: inode('beta/c.txt'), changed: inode('alpha/a.txt'), manifest: inode('beta/manifest.json') };
    await writeArtefacts(out, 'x', [{ target: 'alpha', files: [{ path: 'a.txt', content: 'alpha v2\n' }, { path: 'nested/b.txt', content: 'beta v1\n' }] }, version(1)[1]!]);
    expect(inode('beta/c.txt')).toBe(before.same);
    expect(inode('beta/manifest.json')).toBe(before.manifest);
    expect(inode('alpha/a.txt')).not.toBe(before.changed);
    expect(readFileSync(join(out, 'alpha/a.txt'), 'utf8')).toMatch(/\nalpha v2\n$/);
    expect(statSync(join(out, 'beta/c.txt')).nlink).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['alpha', 'beta']);
  });

  it('links an unchanged file only when it is what a fresh write would make: a wider mode or another owner is written afresh', async () => {
    const out = tempDir();
    await writeArtefacts(out, 'x', version(1));
    const inode = (path: string) => statSync(join(out, path)).ino;
    const fresh = 0o666 & ~process.umask();
    // Someone widened one file's mode (0666 under umask 022) and, as root, gave another to another user.
    chmodSync(join(out, 'beta/c.txt'), 0o666);
    const { chownSync } = await import('node:fs');
    if (process.getuid?.() === 0) chownSync(join(out, 'alpha/nested/b.txt'), 4321, 4321);
    const before = { wide: inode('beta/c.txt'), foreign: inode('alpha/nested/b.txt'), kept: inode('alpha/a.txt') };
    await writeArtefacts(out, 'x', version(1));
    expect(inode('beta/c.txt')).not.toBe(before.wide);
    expect(statSync(join(out, 'beta/c.txt')).mode & 0o777).toBe(fresh);
    if (process.getuid?.() === 0) {
      expect(inode('alpha/nested/b.txt')).not.toBe(before.foreign);
      expect(statSync(join(out, 'alpha/nested/b.txt')).uid).toBe(0);
    }
    expect(inode('alpha/a.txt')).toBe(before.kept);
  });

  it('never shares data with a file outside the output: a symlinked file or folder, or a file linked elsewhere, is written anew', async () => {
    const out = tempDir();
    const elsewhere = tempDir();
    await writeArtefacts(out, 'x', version(1));
    // alpha's folder now lives elsewhere, behind a link; beta's c.txt is a link to a copy elsewhere;
    // beta's manifest has a second name elsewhere.
    renameSync(join(out, 'alpha'), join(elsewhere, 'alpha'));
    symlinkSync(join(elsewhere, 'alpha'), join(out, 'alpha'));
    writeFileSync(join(elsewhere, 'c.txt'), readFileSync(join(out, 'beta/c.txt')));
    rmSync(join(out, 'beta/c.txt'));
    symlinkSync(join(elsewhere, 'c.txt'), join(out, 'beta/c.txt'));
    linkSync(join(out, 'beta/manifest.json'), join(elsewhere, 'manifest.json'));
    await writeArtefacts(out, 'x', version(1), { force: true });
    const outside = [join(elsewhere, 'alpha/a.txt'), join(elsewhere, 'alpha/nested/b.txt'), join(elsewhere, 'c.txt'), join(elsewhere, 'manifest.json')].map((p) => statSync(p).ino);
    const inside = ['alpha/a.txt', 'alpha/nested/b.txt', 'beta/c.txt', 'beta/manifest.json'].map((p) => statSync(join(out, p)).ino);
    for (const ino of inside) expect(outside).not.toContain(ino);
    expect(statSync(join(out, 'beta/c.txt')).isFile()).toBe(true);
    expect(readFileSync(join(out, 'alpha/nested/b.txt'), 'utf8')).toMatch(/\nbeta v1\n$/);
  });

  it('holds the process open only while a write is in flight', () => {
    const out = tempDir();
    const writer = new URL('../src/writer.ts', import.meta.url).href;
    // Staged and written, never committed: the process still ends once the write has landed.
    const script = `import(${JSON.stringify(writer)}).then(async ({ stageArtefacts }) => { const s = await stageArtefacts(${JSON.stringify(out)}, 'x'); s.add({ target: 'alpha', files: [{ path: 'a.txt', content: 'a' }] }); console.log('staged'); });`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.signal).toBeNull();
    expect([result.status, result.stdout]).toEqual([0, 'staged\n']);
    const stage = readdirSync(out).find((e) => e.startsWith('.hybridnet-stage-'))!;
    expect(readFileSync(join(out, stage, 'new/alpha/a.txt'), 'utf8')).toMatch(/\na$/);
  });

  it('a file it cannot write fails the whole write, names the error, and leaves the old output and no staging folder', async () => {
    const out = tempDir();
    await writeArtefacts(out, 'x', version(1));
    const old = tree(out);
    const entries = readdirSync(out).sort();
    // "a.txt" is both a file and the folder of "a.txt/b.txt": the thread makes the folder, then cannot write the file.
    const clash = [...version(2), { target: 'gamma', files: [{ path: 'a.txt', content: 'file\n' }, { path: 'a.txt/b.txt', content: 'inside\n' }] }];
    await expect(writeArtefacts(out, 'x', clash)).rejects.toThrow(/EISDIR/);
    expect(tree(out)).toEqual(old);
    expect(readdirSync(out).sort()).toEqual(entries);
  });
});

describe('a target with nothing to generate', () => {
  const withEmpty = (n: number) => [...version(n), { target: 'gamma', files: [] }];

  it('gets no folder, and its own earlier folder goes in the same step', async () => {
    const out = tempDir();
    await writeArtefacts(out, 'x', [...version(1), { target: 'gamma', files: [{ path: 'g.txt', content: 'gamma v1\n' }] }]);
    expect(readdirSync(out).sort()).toEqual(['alpha', 'beta', 'gamma']);
    await writeArtefacts(out, 'x', withEmpty(2));
    expect(readdirSync(out).sort()).toEqual(['alpha', 'beta']);
  });

  it('an error during that step brings the earlier folder back', async () => {
    const out = tempDir();
    await writeArtefacts(out, 'x', [...version(1), { target: 'gamma', files: [{ path: 'g.txt', content: 'gamma v1\n' }] }]);
    const old = tree(out);
    await expect(writeArtefacts(out, 'x', withEmpty(2), { step: (s) => { if (s === 'old-moved:gamma') throw new Error('stopped'); } })).rejects.toThrow('stopped');
    expect(tree(out)).toEqual(old);
  });

  it('generate says so instead of writing an empty folder', async () => {
    const out = tempDir();
    const result = await cli(['generate', EXAMPLE, '--out', out, '--target', 'bicep,cloudformation']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cloudformation: nothing to generate for this topology (no folder written)');
    expect(readdirSync(out).sort()).toEqual(['bicep']);
  });
});
