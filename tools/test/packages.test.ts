/**
 * The packages as users outside this workspace get them: `npm pack` (each package's prepack runs
 * its Nx build), installed into a fresh Node project that has neither tsx nor the workspace's
 * tsconfig, imported from plain JavaScript and type-checked from TypeScript; the command line
 * installed with `npm install -g` and run through `npx --package` from a folder of the user's own.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PACKED = ['model', 'render', 'validate', 'gen-bicep', 'gen-rras', 'cli'];
// The user's machine: no colour forced by a runner, no Nx task of an outer `nx run-many` (its
// variables would make the packs' builds think they run inside it), no daemon left behind.
const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NX_') && k !== 'FORCE_COLOR')), NX_DAEMON: 'false', NO_COLOR: '1', npm_config_update_notifier: 'false' };
const npmQuiet = ['--prefer-offline', '--no-audit', '--no-fund'];

function sh(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', env, timeout: 240_000, ...options });
  const out = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${out}`);
  return String(result.stdout);
}

let work: string;
const tarballs = new Map<string, { file: string; files: string[]; dependencies: Record<string, string> }>();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hybridnet-packages-'));
  const out = sh('npm', ['pack', ...PACKED.flatMap((p) => ['--workspace', `packages/${p}`]), '--pack-destination', work, '--json'], { cwd: root });
  // The prepack builds print to standard output too; npm's JSON report is the last thing there.
  const packed = JSON.parse(out.slice(out.search(/^\[$/m))) as { name: string; filename: string; files: { path: string }[] }[];
  for (const p of packed) {
    const manifest = JSON.parse(sh('tar', ['-xzOf', join(work, p.filename), 'package/package.json']));
    tarballs.set(p.name, { file: join(work, p.filename), files: p.files.map((f) => f.path), dependencies: manifest.dependencies ?? {} });
  }
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it.each(PACKED.filter((p) => p !== 'cli'))('@hybridnet/%s holds its build (JavaScript and declarations), not its sources or tests', (name) => {
    const { files } = tarballs.get(`@hybridnet/${name}`)!;
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('a generator that prints through templates carries them beside its build', () => {
    expect(tarballs.get('@hybridnet/gen-rras')!.files).toContain('dist/templates/configure-rras.ps1.hbs');
  });

  it('@hybridnet/cli is the bundle alone: no dependency to fetch, the examples init starts from', () => {
    const { files, dependencies } = tarballs.get('@hybridnet/cli')!;
    expect(dependencies).toEqual({});
    expect(files).toEqual(expect.arrayContaining(['bin/hybridnet.js', 'dist/hybridnet.mjs', 'dist/examples/webapp-regional/topology.yaml', 'dist/chunks/elk-worker.min.cjs']));
    expect(files.filter((f) => f.startsWith('src/'))).toEqual([]);
  });
});

describe('a fresh Node project (no tsx) installs and imports the libraries', () => {
  let project: string;
  beforeAll(() => {
    project = join(work, 'consumer');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' })}\n`);
    // From tarballs, npm finds a workspace dependency (render) only among the tarballs it is given.
    const wanted = ['@hybridnet/model', '@hybridnet/render', '@hybridnet/validate', '@hybridnet/gen-bicep', '@hybridnet/gen-rras'].map((n) => tarballs.get(n)!.file);
    sh('npm', ['install', ...npmQuiet, ...wanted], { cwd: project });
    copyFileSync(join(root, 'examples/branch-to-branch/topology.yaml'), join(project, 'topology.yaml'));
  }, 240_000);

  it('installs them without the workspace tooling', () => {
    expect(existsSync(join(project, 'node_modules/@hybridnet/validate/dist/index.js'))).toBe(true);
    expect(existsSync(join(project, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/typescript'))).toBe(false);
  });

  it('plain Node imports them and runs load, validate and a generator on an example', () => {
    writeFileSync(join(project, 'use.mjs'), `import { readFileSync } from 'node:fs';
import { parseTopology } from '@hybridnet/model';
import { validateTopology, simulateRoutes, siteRoutesTowardAzure } from '@hybridnet/validate';
import { bicepGenerator } from '@hybridnet/gen-bicep';
import { rrasGenerator } from '@hybridnet/gen-rras';
const { topology, index, diagnostics } = parseTopology(readFileSync('topology.yaml', 'utf8'), 'topology.yaml');
const findings = validateTopology(topology, index);
const context = { expectedSiteRoutes: siteRoutesTowardAzure(simulateRoutes(topology, index)) };
const bicep = await bicepGenerator.generate(topology, index, context);
const rras = await rrasGenerator.generate(topology, index, context);
console.log(JSON.stringify({ name: topology.name, load: diagnostics.length, errors: findings.filter((d) => d.severity === 'error').length, bicep: bicep.files.map((f) => f.path), rras: rras.files.map((f) => f.path) }));
`);
    const out = JSON.parse(sh(process.execPath, ['use.mjs'], { cwd: project }));
    expect(out).toEqual({
      name: 'branch-to-branch',
      load: 0,
      errors: 0,
      bicep: expect.arrayContaining(['main.bicep', 'main.json', 'main.bicepparam']),
      rras: expect.arrayContaining(['branch-rras/configure-rras.ps1']),
    });
  });

  it('TypeScript reads their types: a correct use compiles and a wrong one is refused', () => {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    writeFileSync(join(project, 'tsconfig.json'), `${JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')] }, include: ['*.ts'] })}\n`);
    writeFileSync(join(project, 'use.ts'), `import { parseTopology, type Topology } from '@hybridnet/model';
import { validateTopology } from '@hybridnet/validate';
import { bicepGenerator } from '@hybridnet/gen-bicep';
const { topology, index } = parseTopology('name: x\\n', 'inline.yaml');
if (topology && index) {
  const vnets: Topology['azure']['vnets'] = topology.azure.vnets;
  const severities: ('error' | 'warning' | 'info')[] = validateTopology(topology, index).map((d) => d.severity);
  const target: string = bicepGenerator.target;
  console.log(vnets.length, severities, target);
}
`);
    expect(spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' }).stdout).toBe('');
    // Were the declarations missing or loose (any), this would compile too.
    writeFileSync(join(project, 'wrong.ts'), `import { parseTopology } from '@hybridnet/model';\nexport const count: number = parseTopology('name: x\\n', 'inline.yaml').topology?.name;\n`);
    const wrong = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
    rmSync(join(project, 'wrong.ts'));
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts\(2,14\): error TS2322: Type 'string \| undefined' is not assignable to type 'number'/);
  });
});

describe('the command line, installed', () => {
  it('npm install -g gives a hybridnet that starts, validates and generates in a folder of the user\'s own', () => {
    const prefix = join(work, 'global');
    sh('npm', ['install', '-g', '--prefix', prefix, ...npmQuiet, tarballs.get('@hybridnet/cli')!.file]);
    const hybridnet = join(prefix, 'bin/hybridnet');
    const own = join(work, 'own');
    mkdirSync(own);
    const version = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).version;
    expect(sh(hybridnet, ['--version'], { cwd: own }).trim()).toBe(version);
    expect(sh(hybridnet, ['init', '--template', 'webapp'], { cwd: own })).toContain('wrote topology.yaml (webapp)');
    expect(sh(hybridnet, ['validate', 'topology.yaml'], { cwd: own })).toContain('topology.yaml: ok');
    sh(hybridnet, ['generate', 'topology.yaml', '--out', 'out'], { cwd: own });
    for (const file of ['bicep/main.bicep', 'rras/branch-aws/configure-rras.ps1', 'docs/diagram.svg', 'docs/DEPLOY.md']) expect(existsSync(join(own, 'out', file)), file).toBe(true);
  });

  it('npx --package runs it without installing it anywhere', () => {
    const own = join(work, 'npx');
    mkdirSync(own);
    const out = sh('npx', ['--yes', '--package', tarballs.get('@hybridnet/cli')!.file, 'hybridnet', 'explain', 'hybridnet/validate/address/domain-overlap'], { cwd: own, env: { ...env, npm_config_cache: join(work, 'npx-cache') } });
    expect(out).toContain('two address spaces that become mutually reachable overlap');
  });
});
