/**
 * Workspace rules that keep the package layout honest: every package is an Nx project with a
 * type tag; generators depend on the model only, never on each other; the model depends on no
 * other workspace package; workspace packages expose one entry point.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const packages = readdirSync(new URL('packages/', root)).sort();
function sourceFiles(dir: string): string[] {
  const absolute = fileURLToPath(new URL(dir, root));
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(absolute, f));
}
const info = packages.map((dir) => {
  const pkg = read(`packages/${dir}/package.json`);
  const project = read(`packages/${dir}/project.json`);
  const workspaceDeps = Object.keys({ ...pkg.dependencies }).filter((d) => d.startsWith('@hybridnet/'));
  // Tests may use the validator to build realistic input, never another generator.
  const devWorkspaceDeps = Object.keys({ ...pkg.devDependencies }).filter((d) => d.startsWith('@hybridnet/'));
  const sourceImports = sourceFiles(`packages/${dir}/src`).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/from '(@hybridnet\/[a-z-]+)'/g)].map((m) => m[1]!));
  const testImports = sourceFiles(`packages/${dir}/test`).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/from '(@hybridnet\/[a-z-]+)'/g)].map((m) => m[1]!));
  return { dir, pkg, project, workspaceDeps, devWorkspaceDeps, testImports: [...new Set(testImports)].sort(), sourceImports: [...new Set(sourceImports)].sort(), type: (project.tags as string[]).find((t) => t.startsWith('type:')) };
});

describe('workspace layout', () => {
  it('has the packages the design names', () => {
    expect(packages).toEqual(expect.arrayContaining(['model', 'cli', 'gen-bicep', 'gen-rras', 'gen-barracuda', 'gen-cloudformation']));
  });

  it.each(info)('$dir is an Nx project with a type tag', ({ project, type }) => {
    expect(project.name).toBeTruthy();
    expect(['type:model', 'type:validate', 'type:generator', 'type:tool', 'type:util']).toContain(type);
  });

  // Generators depend on the model (and the domain-free render utility), never on each other.
  it.each(info.filter((p) => p.type === 'type:generator'))('$dir depends on the model only and has a generate target', ({ workspaceDeps, sourceImports, project }) => {
    expect(workspaceDeps.filter((d) => d !== '@hybridnet/render')).toEqual(['@hybridnet/model']);
    expect(sourceImports.filter((i) => i !== '@hybridnet/model' && i !== '@hybridnet/render')).toEqual([]);
    expect(project.targets.generate.dependsOn).toEqual([{ projects: ['tag:type:example'], target: `generate-${project.name.replace(/^gen-/, '')}` }]);
  });

  // One Nx task per example and target, whose inputs are that example and the code that generates
  // it: editing one example regenerates that example alone.
  it('each example is an Nx project with a generate task per target, fed by its own folder only', () => {
    const nx = read('nx.json');
    const examples = readdirSync(new URL('examples/', root), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    const generators = info.filter((p) => p.type === 'type:generator').map((p) => p.dir.replace(/^gen-/, ''));
    for (const example of examples) {
      const project = read(`examples/${example}/project.json`);
      expect(project.name).toBe(example);
      expect(project.tags).toEqual(['type:example']);
      expect(Object.keys(project.targets).sort()).toEqual(generators.map((g) => `generate-${g}`).sort());
      expect(packages.map((p) => read(`packages/${p}/project.json`).name)).not.toContain(example);
    }
    for (const generator of generators) {
      const defaults = nx.targetDefaults[`generate-${generator}`];
      expect(defaults.options.command).toBe(`node --import tsx tools/generate-examples.ts ${generator} {projectName}`);
      expect(defaults.outputs).toEqual([`{workspaceRoot}/dist/{projectName}/${generator}`]);
      expect(defaults.inputs).toContain('{projectRoot}/**/*');
      expect(JSON.stringify([defaults.inputs, nx.namedInputs])).not.toContain('examples/');
      if (generator !== 'docs') expect(defaults.inputs.filter((i: string) => i.includes('/packages/gen-'))).toEqual([`{workspaceRoot}/packages/gen-${generator}/src/**/*`]);
    }
  });

  it.each(info.filter((p) => p.type === 'type:generator'))("$dir's tests use no other generator (devDependencies and imports)", ({ dir, devWorkspaceDeps, testImports }) => {
    const allowed = ['@hybridnet/model', '@hybridnet/render', '@hybridnet/validate', `@hybridnet/${dir}`];
    expect(devWorkspaceDeps.filter((d) => !allowed.includes(d))).toEqual([]);
    expect(testImports.filter((d) => !allowed.includes(d))).toEqual([]);
  });

  it('the tests in tools/ are an Nx project, so nx affected -t test runs them', () => {
    const project = read('tools/project.json');
    expect(project.name).toBe('tools');
    expect(readFileSync(new URL('tools/vitest.config.ts', root), 'utf8')).toContain("include: ['test/**/*.test.ts']");
    expect(read('nx.json').plugins.some((p: { plugin: string }) => p.plugin === '@nx/vitest')).toBe(true);
  });

  it('the render utility depends on no workspace package', () => {
    expect(info.find((p) => p.dir === 'render')!.workspaceDeps).toEqual([]);
  });

  it('the model depends on no other workspace package', () => {
    expect(info.find((p) => p.dir === 'model')!.workspaceDeps).toEqual([]);
    expect(info.find((p) => p.dir === 'model')!.sourceImports).toEqual([]);
  });

  // Published: each entry point is the build (JavaScript and declarations, the Nx build target);
  // inside the workspace, tsconfig paths map the same names to the sources (tsx, vitest, esbuild, tsc).
  it.each(info.filter((p) => p.pkg.exports))('$dir exposes one entry point, built from src/index.ts', ({ dir, pkg, project }) => {
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(pkg.files).toContain('dist');
    expect(project.targets.build).toEqual({});
    const paths = read('tsconfig.base.json').compilerOptions.paths;
    for (const [subpath, target] of Object.entries(pkg.exports as Record<string, string | { default: string }>)) {
      if (typeof target === 'string') continue;
      const name = `${pkg.name}${subpath.slice(1)}`;
      expect(paths[name], name).toEqual([target.default.replace('./dist/', `./packages/${dir}/src/`).replace(/\.js$/, '.ts')]);
    }
  });

  it('pins the Nx packages to one exact version', () => {
    const dev = read('package.json').devDependencies;
    expect(new Set([dev.nx, dev['@nx/js'], dev['@nx/vitest']])).toEqual(new Set(['23.2.1']));
  });
});
