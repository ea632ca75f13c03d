/**
 * `hybridnet generate --check`: the generated Bicep through the Bicep CLI. With the real CLI the
 * examples are clean; a CLI that reports a finding turns it into a positioned diagnostic on the
 * file as written (an error stops the write); without a CLI the command says once that it skipped.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECK_CODES } from '@hybridnet/cli';
import { BICEP, skipWithout } from '../../../tools/test-support/vendor-tools.ts';
import { cli, tempDir, tree } from './helpers.ts';

const saved = { bicep: process.env.HYBRIDNET_BICEP, path: process.env.PATH };
afterEach(() => {
  if (saved.bicep === undefined) delete process.env.HYBRIDNET_BICEP;
  else process.env.HYBRIDNET_BICEP = saved.bicep;
  process.env.PATH = saved.path;
});

/** A stand-in Bicep CLI: answers --version, and prints one SARIF log per lint with the given results for main.bicep. */
function fakeBicep(results: { ruleId: string; level: string; text: string; line: number; column: number }[]): string {
  const dir = tempDir();
  const script = join(dir, 'bicep');
  const log = (root: string) => JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'bicep' } }, results: results.map((r) => ({ ruleId: r.ruleId, level: r.level, message: { text: r.text }, locations: [{ physicalLocation: { artifactLocation: { uri: `file://${root}/main.bicep` }, region: { startLine: r.line, charOffset: r.column } } }] })) }] });
  writeFileSync(
    script,
    `#!/bin/sh
[ "$1" = --version ] && { echo 'Bicep CLI version 0.49.2'; exit 0; }
root=$(dirname "$(dirname "$3")")
printf '%s' '${log('ROOT')}' | sed "s#ROOT#$root#g"
`,
  );
  chmodSync(script, 0o755);
  return script;
}

describe('hybridnet generate --check', () => {
  it('reports each Bicep CLI finding at its place in the file as written; an error writes nothing', async () => {
    process.env.HYBRIDNET_BICEP = fakeBicep([
      { ruleId: 'BCP035', level: 'error', text: 'The specified "object" declaration is missing the following required properties: "properties".', line: 253, column: 5 },
      { ruleId: 'no-unused-params', level: 'warning', text: 'Parameter "p" is declared but never used.', line: 7, column: 7 },
    ]);
    const out = tempDir();
    const { code, stderr, stdout } = await cli(['generate', 'examples/branch-to-branch/topology.yaml', '--out', out, '--target', 'bicep', '--check']);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(out, 'bicep', 'main.bicep')}:253:5 - error hybridnet/check/bicep: BCP035: The specified "object" declaration is missing`);
    expect(stdout).toContain(`${join(out, 'bicep', 'main.bicep')}:7:7 - warning hybridnet/check/bicep: no-unused-params: Parameter "p" is declared but never used.`);
    expect(tree(out)).toEqual({});
  });

  it('says once that it skipped the check when there is no Bicep CLI, and still writes', async () => {
    process.env.HYBRIDNET_BICEP = '';
    process.env.PATH = tempDir();
    const out = tempDir();
    const { code, stdout } = await cli(['generate', 'examples/branch-to-branch/topology.yaml', '--out', out, '--target', 'bicep', '--check']);
    expect(code).toBe(0);
    expect(stdout.match(/hybridnet\/check\/bicep-skipped/g)).toHaveLength(1);
    expect(Object.keys(tree(out))).toContain(join('bicep', 'main.bicep'));
  });

  it('does not look for a Bicep CLI without --check', async () => {
    process.env.HYBRIDNET_BICEP = '';
    process.env.PATH = tempDir();
    const { code, stdout } = await cli(['generate', 'examples/branch-to-branch/topology.yaml', '--out', tempDir(), '--target', 'bicep']);
    expect(code).toBe(0);
    expect(stdout).not.toContain('hybridnet/check/');
  });

  it('has a meaning for every code', () => {
    expect(Object.keys(CHECK_CODES).sort()).toEqual(['hybridnet/check/bicep', 'hybridnet/check/bicep-failed', 'hybridnet/check/bicep-skipped']);
  });

  it.skipIf(skipWithout('generate --check with the real Bicep CLI', { bicep: BICEP }))('with the real Bicep CLI, both examples are clean', async () => {
    expect(BICEP, 'CI must have the Bicep CLI').toBeDefined();
    process.env.HYBRIDNET_BICEP = BICEP;
    for (const example of ['webapp-hybrid', 'branch-to-branch']) {
      const { code, stdout, stderr } = await cli(['generate', `examples/${example}/topology.yaml`, '--out', tempDir(), '--target', 'bicep', '--check']);
      expect(code, stderr).toBe(0);
      expect(stdout + stderr).not.toContain('hybridnet/check/');
    }
  }, 120_000);
});
