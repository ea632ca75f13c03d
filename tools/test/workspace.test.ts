/**
 * Workspace rules that keep the package layout honest: every package is an Nx project with a
 * type tag; generators depend on the model only, never on each other; the model depends on no
 * other workspace package; workspace packages expose one entry point.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const packages = readdirSync(new URL('packages/', root)).sort();
const info = packages.map((dir) => {
  const pkg = read(`packages/${dir}/package.json`);
  const project = read(`packages/${dir}/project.json`);
  const workspaceDeps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => d.startsWith('@hybridnet/'));
  return { dir, pkg, project, workspaceDeps, type: (project.tags as string[]).find((t) => t.startsWith('type:')) };
});

describe('workspace layout', () => {
  it('has the packages the design names', () => {
    expect(packages).toEqual(expect.arrayContaining(['model', 'cli', 'gen-bicep', 'gen-rras', 'gen-barracuda', 'gen-cloudformation']));
  });

  it.each(info)('$dir is an Nx project with a type tag', ({ project, type }) => {
    expect(project.name).toBeTruthy();
    expect(['type:model', 'type:validate', 'type:generator', 'type:tool']).toContain(type);
  });

  it.each(info.filter((p) => p.type === 'type:generator'))('$dir depends on the model only and has a generate target', ({ workspaceDeps, project }) => {
    expect(workspaceDeps).toEqual(['@hybridnet/model']);
    expect(project.targets.generate.options.command).toMatch(/^node --import tsx tools\/generate-examples\.ts [a-z]+$/);
  });

  it('the model depends on no other workspace package', () => {
    expect(info.find((p) => p.dir === 'model')!.workspaceDeps).toEqual([]);
  });

  it.each(info.filter((p) => p.pkg.exports))('$dir exposes one entry point, src/index.ts', ({ pkg }) => {
    expect(pkg.exports['.']).toBe('./src/index.ts');
  });

  it('pins the Nx packages to one exact version', () => {
    const dev = read('package.json').devDependencies;
    expect(new Set([dev.nx, dev['@nx/js'], dev['@nx/vitest']])).toEqual(new Set(['23.2.1']));
  });
});
