/**
 * Every artefact through the vendors' own tools, for both examples and a sample of the random
 * topologies of the whole-pipeline property test:
 * - the Bicep CLI: `bicep lint` (compiler and linter, default rules) and `bicep build` with zero
 *   findings, `bicep build-params` with only the environment DEPLOY.md documents, and the ARM
 *   JSON hybridnet writes equal to the JSON the compiler makes of hybridnet's Bicep;
 * - PowerShell's own parser on every .ps1 and on the PowerShell in CloudFormation UserData.
 * Without the tools (no .NET SDK) the suite skips with a reason, except under CI.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '@hybridnet/model';
import { checkTopology, runGenerators, TARGETS } from '@hybridnet/cli';
import { shape, topologyText } from '../test-support/random-topology.ts';
import { BICEP, parsePowerShellFiles, PWSH, run, skipWithout } from '../test-support/vendor-tools.ts';
import { normaliseArm, sarifFindings } from '../test-support/arm-compare.ts';

const scratch = mkdtempSync(join(tmpdir(), 'hybridnet-vendor-'));
const cases: Record<string, string> = {
  'webapp-hybrid': readFileSync('examples/webapp-hybrid/topology.yaml', 'utf8'),
  'branch-to-branch': readFileSync('examples/branch-to-branch/topology.yaml', 'utf8'),
  'webapp-regional': readFileSync('examples/webapp-regional/topology.yaml', 'utf8'),
  ...Object.fromEntries(fc.sample(shape, { seed: 20261201, numRuns: 4 }).map((s, i) => [`random-${i}`, topologyText(s)])),
};

/** Generates every target of every case into scratch/<case>/<target>/. */
beforeAll(async () => {
  for (const [name, text] of Object.entries(cases)) {
    const checked = checkTopology(parseTopology(text, `${name}.yaml`));
    expect(checked.diagnostics.filter((d) => d.severity === 'error'), name).toEqual([]);
    const { outputs, diagnostics } = await runGenerators(checked, TARGETS);
    expect(diagnostics.filter((d) => d.severity === 'error'), name).toEqual([]);
    for (const { target, files } of outputs) {
      for (const f of files) {
        const path = join(scratch, name, target, f.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.content);
      }
    }
  }
}, 120_000);

const read = (...parts: string[]) => readFileSync(join(scratch, ...parts), 'utf8');

describe.skipIf(skipWithout('the Bicep CLI suite', { bicep: BICEP }))('the Bicep CLI on the generated Bicep', () => {
  /** Only the Bicep sources, in a folder of their own, so the compiler's main.json lands beside them and not over hybridnet's. */
  const sources = join(scratch, '_bicep');
  beforeAll(() => {
    for (const name of Object.keys(cases)) {
      for (const file of ['main.bicep', 'main.bicepparam', ...['firewall', 'app', 'test'].map((m) => `modules/${m}.bicep`)]) {
        const from = join(scratch, name, 'bicep', file);
        try {
          mkdirSync(dirname(join(sources, name, file)), { recursive: true });
          copyFileSync(from, join(sources, name, file));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }
    }
  });

  it('bicep lint: no error and no warning from the compiler or the linter\'s default rules', () => {
    expect(BICEP, 'CI must have the Bicep CLI (tools/vendor-tools/install.sh)').toBeDefined();
    const lint = run(BICEP, ['lint', '--pattern', `${sources}/**/*.bicep`, '--diagnostics-format', 'sarif']);
    expect(sarifFindings(`${lint.stdout}\n${lint.stderr}`, sources)).toEqual([]);
    expect(lint.status, lint.stderr).toBe(0);
  }, 120_000);

  it('bicep build: compiles, and its ARM JSON describes the same deployment as hybridnet\'s main.json', () => {
    const build = run(BICEP, ['build', '--pattern', `${sources}/**/main.bicep`, '--diagnostics-format', 'sarif']);
    expect(sarifFindings(`${build.stdout}\n${build.stderr}`, sources)).toEqual([]);
    expect(build.status, build.stderr).toBe(0);
    for (const name of Object.keys(cases)) {
      const compiled = JSON.parse(readFileSync(join(sources, name, 'main.json'), 'utf8'));
      const written = JSON.parse(read(name, 'bicep', 'main.json'));
      expect(normaliseArm(written), name).toEqual(normaliseArm(compiled));
    }
  }, 120_000);

  it('bicep build-params: builds with exactly the environment DEPLOY.md tells a user to export', () => {
    const env: Record<string, string> = {};
    for (const name of Object.keys(cases)) {
      // `export NAME=…` in a command, or "export `NAME`" in the secrets table.
      for (const m of read(name, 'docs', 'DEPLOY.md').matchAll(/export `?([A-Z][A-Z0-9_]*)\b/g)) env[m[1]!] = 'value-from-the-environment';
    }
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HYBRIDNET_')));
    const build = run(BICEP, ['build-params', '--pattern', `${sources}/**/main.bicepparam`, '--diagnostics-format', 'sarif'], { env: { ...clean, ...env } });
    expect(sarifFindings(`${build.stdout}\n${build.stderr}`, sources)).toEqual([]);
    expect(build.status, build.stderr).toBe(0);
  }, 120_000);
});

describe.skipIf(skipWithout('the PowerShell parser suite', { pwsh: PWSH }))('PowerShell\'s own parser on every generated script', () => {
  it('parses every .ps1 and every UserData script with zero errors', () => {
    expect(PWSH, 'CI must have PowerShell (tools/vendor-tools/install.sh)').toBeDefined();
    const files: string[] = [];
    for (const name of Object.keys(cases)) {
      for (const target of ['rras', 'barracuda', 'docs', 'cloudformation']) {
        for (const f of listFiles(join(scratch, name, target))) {
          if (f.endsWith('.ps1')) files.push(f);
          if (f.endsWith('stack.json')) {
            const userData = extractUserData(JSON.parse(readFileSync(f, 'utf8')));
            userData.forEach((script, i) => {
              const path = `${f}.userdata-${i}.ps1`;
              writeFileSync(path, script);
              files.push(path);
            });
          }
        }
      }
    }
    expect(files.some((f) => f.endsWith('configure-rras.ps1'))).toBe(true);
    expect(files.some((f) => f.includes('.userdata-'))).toBe(true);
    expect(parsePowerShellFiles(files)).toEqual([]);
  }, 120_000);
});

/** Every file below `dir` (none when it does not exist). */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * The PowerShell of every EC2 instance's UserData: the template's Fn::Base64 of an Fn::Join or
 * Fn::Sub, with each intrinsic replaced by a placeholder string, then the <powershell> block.
 */
function extractUserData(template: { Resources: Record<string, { Type: string; Properties?: { UserData?: unknown } }> }): string[] {
  const flatten = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.map(flatten).join('');
    if (v && typeof v === 'object') {
      const [fn, arg] = Object.entries(v)[0]!;
      if (fn === 'Fn::Base64') return flatten(arg);
      if (fn === 'Fn::Join') return (arg as [string, unknown[]])[1].map(flatten).join((arg as [string])[0]);
      if (fn === 'Fn::Sub') return (Array.isArray(arg) ? (arg[0] as string) : (arg as string)).replace(/\$\{[^}]+\}/g, 'placeholder');
      return 'placeholder';
    }
    return String(v);
  };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::EC2::Instance' && r.Properties?.UserData)
    .map((r) => flatten(r.Properties!.UserData))
    .map((text) => /<powershell>([\s\S]*?)<\/powershell>/.exec(text)?.[1] ?? text);
}
