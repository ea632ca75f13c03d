import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, tree } from './helpers.ts';

const bin = new URL('../bin/hybridnet.js', import.meta.url).pathname;

describe('the hybridnet binary', () => {
  it('validates an example and exits 0', () => {
    const result = spawnSync(process.execPath, [bin, 'validate', 'examples/branch-to-branch/topology.yaml'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('examples/branch-to-branch/topology.yaml: ok\n');
    expect(result.status).toBe(0);
  });

  it('exits 2 on a usage error', () => {
    const result = spawnSync(process.execPath, [bin, 'validate'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("missing required argument 'topology'");
  });
});

/**
 * One bundle for every test here, built into a temporary folder on first use, inside an ES module
 * package as packages/cli/dist is (a CommonJS file the bundle loads must say so by its name).
 */
let bundleBuild: Promise<string> | undefined;
const bundled = (): Promise<string> =>
  (bundleBuild ??= import('../../../tools/build-cli.ts').then(({ buildCli }) => {
    const pkg = tempDir();
    writeFileSync(join(pkg, 'package.json'), '{ "type": "module" }\n');
    return buildCli(join(pkg, 'dist'));
  }));

describe('the bundled command line (tools/build-cli.ts)', () => {
  it('writes exactly what the sources write, for every target of both examples', async () => {
    const bundle = await bundled();
    for (const example of ['examples/webapp-hybrid/topology.yaml', 'examples/branch-to-branch/topology.yaml']) {
      const fromBundle = join(tempDir(), 'out');
      const child = spawnSync(process.execPath, [bundle, 'generate', example, '--out', fromBundle], { encoding: 'utf8' });
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      const fromSources = join(tempDir(), 'out');
      expect((await cli(['generate', example, '--out', fromSources])).code).toBe(0);
      expect(tree(fromBundle)).toEqual(tree(fromSources));
    }
  }, 60_000);
});

/** Every secret the examples reference from the environment, set to values a leak would show. */
const SECRETS = { HUB_BRANCH_RRAS_PSK: 'leak-canary-psk-7f3a9c', TEST_VM_PASSWORD: 'leak-canary-password-1b2d4e' };

describe('determinism and secret safety gates', () => {
  it('generates byte-identical trees twice, and no secret from the environment reaches any artefact or output', async () => {
    const bundle = await bundled();
    const env = { ...process.env, ...SECRETS };
    for (const example of ['examples/webapp-hybrid/topology.yaml', 'examples/branch-to-branch/topology.yaml']) {
      const runs = [0, 1].map(() => {
        const out = join(tempDir(), 'out');
        const logs = [
          ['generate', example, '--out', out],
          ['validate', example, '--format', 'json'],
          ['routes', example],
          ['report', example, '--out', join(out, 'report')],
        ].map((argv) => spawnSync(process.execPath, [bundle, ...argv], { encoding: 'utf8', env }));
        for (const log of logs) expect(log.status).toBe(0);
        return { files: tree(out), logs: logs.map((l) => l.stdout + l.stderr).join('\n') };
      });
      expect(runs[1]!.files).toEqual(runs[0]!.files);
      expect(Object.keys(runs[0]!.files).length).toBeGreaterThan(15);
      const everything = [runs[0]!.logs, ...Object.values(runs[0]!.files)].join('\n');
      for (const value of Object.values(SECRETS)) expect(everything).not.toContain(value);
      // The environment variable names themselves are what artefacts reference.
      expect(everything).toMatch(example.includes('branch') ? /HUB_BRANCH_RRAS_PSK/ : /PSK|keyVault|secure/i);
    }
  }, 90_000);
});

describe('the binary and closed pipes', () => {
  it.each([['schema'], ['routes', 'examples/branch-to-branch/topology.yaml']])('`hybridnet %s | head -1` stops quietly', (...argv) => {
    const err = join(tempDir(), 'stderr');
    const result = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${bin}" ${argv.join(' ')} 2>"${err}" | head -c 20 >/dev/null; echo $?`], { encoding: 'utf8' });
    expect(readFileSync(err, 'utf8')).toBe('');
    expect(result.stdout.trim()).toBe('0');
  });

  it('`help validate` exits 0 like `validate --help`', () => {
    const result = spawnSync(process.execPath, [bin, 'help', 'validate'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: hybridnet validate');
  });
});
