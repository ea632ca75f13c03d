/**
 * Whole-pipeline properties: a random valid topology always validates, every target generates
 * without errors, and every artefact passes the checks the generators' own tests use (the
 * PowerShell grammar, the Bicep grammar, Azure's type data for ARM, AWS's resource specification
 * for CloudFormation); random damage to a valid file never crashes the command line and never
 * writes.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { dump as dumpYaml, load as loadYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '@hybridnet/model';
import { checkTopology, runGenerators, TARGETS } from '@hybridnet/cli';
import { cliInProcess as cli } from '../../packages/cli/test/helpers.ts';
import { checkArmTemplate, typesAvailable } from '../../packages/gen-bicep/test/azure-types.ts';
import { parseBicep } from '../../packages/gen-bicep/test/bicep.ts';
import { checkTemplate } from '../../packages/gen-cloudformation/test/spec-check.ts';
import { ForwardingRule, NetworkObject } from '../../packages/gen-barracuda/test/rest-schema.ts';
import { disallowed } from '../../packages/gen-rras/test/cmdlets.ts';
import { parsePowerShell } from '../test-support/powershell.ts';
import { shellProblems } from '../test-support/shell.ts';
import { propertyRuns, shape, topologyText } from '../test-support/random-topology.ts';


describe('random valid topologies, through the whole pipeline', () => {
  it('validate, generate every target, and yield artefacts that pass every syntax and spec check', async () => {
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const text = topologyText(s);
        const loaded = parseTopology(text, 'random.yaml');
        const checked = checkTopology(loaded);
        expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const { outputs, diagnostics } = await runGenerators(checked, TARGETS);
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(outputs.map((o) => o.target)).toEqual(TARGETS.map((t) => t.target));
        for (const { target, files } of outputs) {
          for (const { path, content } of files) {
            const where = `${target}/${path}`;
            if (path.endsWith('.ps1')) {
              const parsed = parsePowerShell(content);
              expect(parsed.errors, where).toEqual([]);
              // RRAS scripts call only cmdlets (and parameters) documented for Windows Server.
              if (target === 'rras') expect(disallowed(parsed.commands), where).toEqual([]);
            }
            if (path.endsWith('.bicep')) expect(parseBicep(content).errors, where).toEqual([]);
            if (path.endsWith('.json')) expect(() => JSON.parse(content), where).not.toThrow();
            if (target === 'bicep' && path.endsWith('main.json') && typesAvailable) expect(checkArmTemplate(JSON.parse(content)), where).toEqual([]);
            if (target === 'cloudformation' && path.endsWith('stack.json')) expect(checkTemplate(JSON.parse(content)), where).toEqual([]);
            if (target === 'barracuda' && /-(network|rule)-[^/]*\.json$/.test(path)) {
              const parsed = (path.includes('-network-') ? NetworkObject : ForwardingRule).safeParse(JSON.parse(content));
              expect(parsed.success, `${where}: ${parsed.error?.message}`).toBe(true);
            }
            if (path.endsWith('.sh')) expect(shellProblems(content), where).toEqual([]);
            if (target === 'cloudformation' && path.endsWith('stack.yaml')) {
              const json = files.find((f) => f.path === path.replace(/\.yaml$/, '.json'))!;
              expect(loadYaml(content), where).toEqual(JSON.parse(json.content));
            }
          }
        }
        // Every site gets its RRAS script; every AWS-hosted site its stack.
        const paths = (target: string) => outputs.find((o) => o.target === target)!.files.map((f) => f.path);
        if (s.firewall) expect(paths('barracuda')).toContain('fw-hub/apply.sh');
        s.sites.forEach((site, i) => {
          expect(paths('rras')).toContain(`site-${i}/configure-rras.ps1`);
          if (site.aws) expect(paths('cloudformation')).toContain(`site-${i}/stack.json`);
        });
      }),
      { numRuns: propertyRuns(40) },
    );
  }, 120_000);
});

describe('random damage to a valid topology', () => {
  const base = readFileSync('examples/branch-to-branch/topology.yaml', 'utf8');
  const damage = fc.array(
    fc.record({ at: fc.nat({ max: base.length }), cut: fc.nat({ max: 40 }), insert: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('&a ', '*a', ': ', '- ', '[', '{', '"', "'", '\t', '\n', '!!str ', '<<: ', '${x}', '$(x)', '`', '\0', '\u202e', '0x10.0.0.0/8', '10.0.0.0/33', '-1', '4294967296')) }),
    { minLength: 1, maxLength: 4 },
  );
  const out = mkdtempSync(join(tmpdir(), 'hybridnet-fuzz-'));
  mkdirSync(join(out, 'bicep'));
  writeFileSync(join(out, 'bicep', 'main.bicep'), '// earlier output\n');
  const file = join(out, 'damaged.yaml');

  it('never crashes: a valid result, or diagnostics with codes and positions, and no write on error', async () => {
    await fc.assert(
      fc.asyncProperty(damage, async (edits) => {
        let text = base;
        for (const e of edits) {
          const at = Math.min(e.at, text.length);
          text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
        }
        writeFileSync(file, text);
        const { code, stdout, stderr } = await cli(['validate', file, '--format', 'json']);
        expect([0, 1]).toContain(code);
        const { diagnostics } = JSON.parse(stdout) as { diagnostics: { code: string; severity: string; line?: number; column?: number }[] };
        for (const d of diagnostics) expect([d.code.startsWith('hybridnet/'), d.line! >= 1, d.column! >= 1]).toEqual([true, true, true]);
        expect(code === 1).toBe(diagnostics.some((d) => d.severity === 'error'));
        if (code === 1) {
          const generated = await cli(['generate', file, '--out', out, '--target', 'bicep']);
          expect(generated.code).toBe(1);
          expect(generated.stderr).not.toMatch(/internal error/);
          expect(readFileSync(join(out, 'bicep', 'main.bicep'), 'utf8')).toBe('// earlier output\n');
        }
        expect(stderr).not.toMatch(/internal error/);
      }),
      { numRuns: propertyRuns(400) },
    );
  }, 120_000);
});

describe('random YAML documents', () => {
  it('never crash validation: diagnostics with codes and positions, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hybridnet-random-'));
    const file = join(dir, 'random.yaml');
    const document = fc.oneof(
      fc.jsonValue().map((v) => dumpYaml(v)),
      fc.dictionary(fc.constantFrom('hybridnet', 'name', 'azure', 'sites', 'connections', 'x'), fc.jsonValue({ maxDepth: 3 })).map((v) => dumpYaml(v)),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(document, async (text) => {
        writeFileSync(file, text);
        const { code, stdout } = await cli(['validate', file, '--format', 'json']);
        expect(code).toBe(1);
        const { diagnostics } = JSON.parse(stdout) as { diagnostics: { code: string; line?: number; column?: number }[] };
        expect(diagnostics.length).toBeGreaterThan(0);
        for (const d of diagnostics) expect([d.code.startsWith('hybridnet/'), d.line! >= 1, d.column! >= 1]).toEqual([true, true, true]);
      }),
      { numRuns: propertyRuns(300) },
    );
  }, 120_000);
});
