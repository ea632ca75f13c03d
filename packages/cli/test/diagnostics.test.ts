/**
 * How diagnostics reach a person: source excerpts with carets, colour only where it belongs,
 * each code's catalogue entry, severity overrides, several files, standard input and --watch.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BICEP_CODES } from '@hybridnet/gen-bicep/check';
import { CFN_CODES } from '@hybridnet/gen-cloudformation/check';
import { CGF_CODES } from '@hybridnet/gen-barracuda/check';
import { RRAS_CODES } from '@hybridnet/gen-rras/check';
import { MODEL_CODES } from '@hybridnet/model';
import { VALIDATE_CODES } from '@hybridnet/validate';
import { CHECK_CODES, run, type Io } from '@hybridnet/cli';
import { CATALOGUE } from '../src/catalogue.ts';
import { CLI_CODES } from '../src/codes.ts';
import { sourceExcerpt } from '../src/present.ts';
import { cli, tempDir, tree } from './helpers.ts';

/** A topology with one warning (public VNet space) unless `prefix` says otherwise. */
const topology = (extra = '', prefix = '20.0.0.0/16') =>
  `hybridnet: 1\nname: x\n${extra}azure:\n  location: westeurope\n  resourceGroups: { network: rg }\n  vnets:\n    - { name: vnet-a, addressSpace: [${prefix}] }\n`;
const write = (text: string, name = 'topology.yaml') => {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
};

/** Runs with a terminal (or not) and an environment of its own. */
async function terminal(argv: string[], tty: boolean, environment: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), tty: { out: tty, err: tty } };
  const code = await run(argv, io, undefined, { environment });
  return { code, stdout, stderr };
}

describe('source excerpts', () => {
  it('puts carets under the token at the column, as the file shows it', async () => {
    const file = write(topology());
    const { stdout } = await cli(['validate', file]);
    expect(stdout.split('\n').slice(1, 3)).toEqual(['  7 |     - { name: vnet-a, addressSpace: [20.0.0.0/16] }', '    |                                      ^^^^^^^^^^^']);
  });

  it('keeps tabs, stops at a mapping colon but not inside IPv6, cuts long lines, spells out control characters', () => {
    expect(sourceExcerpt('a\n\tname: value\n', 2, 2)).toEqual({ source: '\tname: value', marker: '\t^^^^' });
    expect(sourceExcerpt('x: [2001:db8::/48, 10.0.0.0/8]', 1, 5)!.marker).toBe('    ^^^^^^^^^^^^^');
    const long = sourceExcerpt(`k: ${'y'.repeat(500)} 10.0.0.0/8 ${'z'.repeat(500)}`, 1, 505);
    expect(long!.source.length).toBeLessThan(130);
    expect(long!.source.startsWith('…') && long!.source.endsWith('…')).toBe(true);
    expect(long!.source.slice(long!.marker.indexOf('^'), long!.marker.indexOf('^') + 10)).toBe('10.0.0.0/8');
    expect(sourceExcerpt('a: "\u001b[2J" b', 1, 11)).toEqual({ source: 'a: "\\u001b[2J" b', marker: '               ^' });
    expect(sourceExcerpt('one line', 3, 1)).toBeUndefined();
  });
});

describe('secrets in excerpts', () => {
  it('masks a secret at the column and any secret-looking value on the line, keeping the caret true', () => {
    expect(sourceExcerpt('      sharedKey: "hunter2"', 1, 18, true)).toEqual({ source: '      sharedKey: ***', marker: '                 ^^^' });
    expect(sourceExcerpt('      env: 98765432101', 1, 12, true)).toEqual({ source: '      env: ***', marker: '           ^^^' });
    // Inside the secret: never half of it.
    expect(sourceExcerpt('    - { name: c, sharedKey: hunter2, gateway: g }', 1, 31)!.source).toBe('    - { name: c, sharedKey: ***, gateway: g }');
    const after = sourceExcerpt('    - { sharedKey: hunter2, gateway: gg }', 1, 38)!;
    expect(after.source.slice(after.marker.indexOf('^'), after.marker.length)).toBe('gg');
    expect(sourceExcerpt('      adminPassword: {env: VM_PASSWORD}', 1, 7)!.source).toBe('      adminPassword: {env: VM_PASSWORD}');
  });

  it('no literal secret reaches the terminal through an excerpt', async () => {
    const file = write(`hybridnet: 1\nname: x\nazure:\n  location: westeurope\n  resourceGroups: { network: rg }\n  vnets:\n    - { name: vnet-a, addressSpace: [10.0.0.0/16] }\nsites:\n  - name: s\n    lan: [10.9.0.0/16]\n    device: { type: rras, privateIp: 10.9.0.4, publicIp: 203.0.113.9 }\n    hosting: { type: on-premises }\nconnections:\n  - { name: c, type: site-to-site, gateway: g, site: s, sharedKey: "pa55-literal-w0rd" }\n  - { name: d, type: site-to-site, gateway: g, site: s, sharedKey: { env: 98765432101 } }\n`);
    const result = await cli(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(' | ');
    expect(result.stdout + result.stderr).not.toMatch(/pa55-literal-w0rd|98765432101/);
  });
});

describe('colour', () => {
  it('colours severity and code on a terminal only; NO_COLOR and --no-color turn it off', async () => {
    const file = write(topology());
    expect((await terminal(['validate', file], true)).stdout).toContain('\u001b[33m');
    expect((await terminal(['validate', file], false)).stdout).not.toContain('\u001b');
    expect((await terminal(['validate', file], true, { NO_COLOR: '1' })).stdout).not.toContain('\u001b');
    expect((await terminal(['validate', file, '--no-color'], true)).stdout).not.toContain('\u001b');
    expect((await terminal(['--no-color', 'validate', file], true)).stdout).not.toContain('\u001b');
    // Without colour, the terminal shows exactly the plain text.
    expect((await terminal(['validate', file], true)).stdout.replace(/\u001b\[\d+m/g, '')).toBe((await terminal(['validate', file], false)).stdout);
  });

  it('still spells out control characters from the file while colouring', async () => {
    const file = write(`${topology().replace('name: x', 'name: x\ndescription: "\\u001b]0;pwned\\u0007"')}`.replace('addressSpace: [20.0.0.0/16]', 'addressSpace: [20.0.0.0/16], colour: "\\u001b[2J"'));
    const { stderr } = await terminal(['validate', file], true);
    expect(stderr.replace(/\u001b\[\d+m/g, '')).not.toContain('\u001b');
  });
});

describe('the rule catalogue', () => {
  const every = [MODEL_CODES, VALIDATE_CODES, BICEP_CODES, RRAS_CODES, CFN_CODES, CGF_CODES, CHECK_CODES, CLI_CODES].flatMap((codes) => Object.keys(codes));

  it('has every code, each linked to its own anchor in its package README', () => {
    expect(every.filter((code) => !CATALOGUE.has(code))).toEqual([]);
    for (const entry of CATALOGUE.values()) {
      const [path, anchor] = entry.docs.split('#') as [string, string];
      expect(readFileSync(path, 'utf8'), entry.code).toContain(`<a id="${anchor}"></a>\`${entry.code}\``);
    }
  });

  it('explain prints an entry, lists every code, and suggests the nearest for a typo', async () => {
    const one = await cli(['explain', 'validate/address/vnet-public-range']);
    expect(one).toMatchObject({ code: 0, stderr: '' });
    expect(one.stdout).toContain('severity: warning');
    expect(one.stdout).toContain('catalogue: packages/validate/README.md#hybridnet-validate-address-vnet-public-range');
    expect((await cli(['explain'])).stdout.trim().split('\n')).toHaveLength(CATALOGUE.size);
    const typo = await cli(['explain', 'hybridnet/validate/address/subnet-overlapp']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean "hybridnet/validate/address/subnet-overlap"?');
  });

  it('links each JSON diagnostic to its entry', async () => {
    const { stdout } = await cli(['validate', write(topology()), '--format', 'json']);
    expect(JSON.parse(stdout).diagnostics[0].docs).toBe('packages/validate/README.md#hybridnet-validate-address-vnet-public-range');
  });
});

describe('severity overrides', () => {
  const PUBLIC = 'hybridnet/validate/address/vnet-public-range';

  it('rules: in the topology silences a warning or raises it to an error', async () => {
    expect(await cli(['validate', write(topology(`rules:\n  ${PUBLIC}: off\n`))])).toMatchObject({ code: 0, stdout: expect.stringMatching(/: ok\n$/) });
    const raised = await cli(['validate', write(topology(`rules:\n  ${PUBLIC}: error\n`))]);
    expect(raised.code).toBe(1);
    expect(raised.stderr).toContain(`error ${PUBLIC}`);
    const info = await cli(['validate', write(topology(`rules:\n  ${PUBLIC}: info\n`)), '--format', 'json']);
    expect(JSON.parse(info.stdout)).toMatchObject({ ok: true, warnings: 0, diagnostics: [{ code: PUBLIC, severity: 'info' }] });
  });

  it('a raised warning stops generate, which writes nothing', async () => {
    const out = join(tempDir(), 'out');
    const result = await cli(['generate', write(topology(`rules:\n  ${PUBLIC}: error\n`)), '--out', out, '--target', 'bicep']);
    expect(result.code).toBe(1);
    expect(tree(out)).toEqual({});
    expect((await cli(['generate', write(topology()), '--out', out, '--target', 'bicep'])).code).toBe(0);
  });

  it('--rule wins over the topology', async () => {
    const file = write(topology(`rules:\n  ${PUBLIC}: error\n`));
    expect((await cli(['validate', file, '--rule', `${PUBLIC}=off`])).code).toBe(0);
    expect((await cli(['validate', write(topology()), '--rule', `${PUBLIC}=error`])).code).toBe(1);
  });

  it('refuses to lower a hard rule and names an unknown code, positioned on the entry', async () => {
    const file = write(topology(`rules:\n  hybridnet/validate/address/subnet-overlap: off\n  ${PUBLIC.replace('range', 'rang')}: off\n`));
    const { code, stderr } = await cli(['validate', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:4:3 - error hybridnet/cli/rule-not-lowerable: hybridnet/validate/address/subnet-overlap is a hard rule`);
    expect(stderr).toContain(`${file}:5:3 - error hybridnet/cli/unknown-rule: no diagnostic has the code "${PUBLIC.replace('range', 'rang')}"`);
    expect(stderr).toContain(`did you mean "${PUBLIC}"?`);
  });

  it('a wrong --rule is a usage error', async () => {
    const file = write(topology());
    for (const rule of [`${PUBLIC}=loud`, PUBLIC, 'hybridnet/validate/address/subnet-overlap=warning', 'hybridnet/nope=off']) {
      const result = await cli(['validate', file, '--rule', rule]);
      expect(result.code, rule).toBe(2);
      expect(result.stderr, rule).toMatch(/^hybridnet: --rule /);
    }
  });

  it('a code in rules: must look like a code (the schema)', async () => {
    const result = await cli(['validate', write(topology('rules:\n  vnet-public-range: off\n'))]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('hybridnet/model/invalid-value');
  });
});

describe('several files and standard input', () => {
  it('validates each file, exits 1 if any has an error, and gives one JSON report with the totals', async () => {
    const good = write(topology('', '10.0.0.0/16'));
    const warned = write(topology());
    const bad = write(topology('', '10.0.0.5/16'));
    const text = await cli(['validate', good, warned]);
    expect(text).toMatchObject({ code: 0, stdout: expect.stringContaining(`${good}: ok\n`) });
    expect(text.stdout).toContain(`${warned}: ok (1 warning)\n`);
    const json = await cli(['validate', good, warned, bad, '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ format: 1, ok: false, errors: 1, warnings: 1, files: [{ file: good, ok: true }, { file: warned, warnings: 1 }, { file: bad, errors: 1 }] });
  });

  it('says which file cannot be read, still validates the others, and exits 2', async () => {
    const good = write(topology('', '10.0.0.0/16'));
    const result = await cli(['validate', '/no/such/topology.yaml', good]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('hybridnet: cannot read /no/such/topology.yaml: no such file\n');
    expect(result.stdout).toBe(`${good}: ok\n`);
  });

  it('--format json says what the exit code says: the file that cannot be read is in the report, and ok is false', async () => {
    const good = write(topology('', '10.0.0.0/16'));
    const result = await cli(['validate', good, '/no/such/topology.yaml', '--format', 'json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, unreadable: 1, files: [{ file: good, ok: true }, { file: '/no/such/topology.yaml', ok: false, unreadable: 'cannot read /no/such/topology.yaml: no such file', diagnostics: [] }] });
  });

  it('reads - from standard input, named <stdin> with line and column and the excerpt', async () => {
    let stdout = '';
    let stderr = '';
    const io: Io = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), stdin: async () => Buffer.from(topology('', '10.0.0.5/16')) };
    expect(await run(['validate', '-'], io, undefined, { environment: {} })).toBe(1); // plain text, whatever colour the test run was given
    expect(stderr).toMatch(/^<stdin>:7:38 - error hybridnet\/model\/cidr-host-bits: .*\n {2}7 \| .*\n {4}\| +\^+\n$/);
    expect((await cli(['validate', '-', '-'])).code).toBe(2);
    expect((await cli(['validate', '-', '--watch'])).code).toBe(2);
  });
});

describe('validate --watch', () => {
  it('validates again on each save (including an editor\'s save by rename) until stopped', async () => {
    const file = write(topology('', '10.0.0.0/16'));
    const stop = new AbortController();
    let stdout = '';
    let stderr = '';
    const seen = (pattern: RegExp, text: () => string) =>
      new Promise<void>((resolve, reject) => {
        const began = Date.now();
        const poll = setInterval(() => {
          const done = pattern.test(text());
          if (done || Date.now() - began > 10_000) clearInterval(poll);
          if (done) resolve();
          else if (Date.now() - began > 10_000) reject(new Error(`never saw ${pattern}: ${text()}`));
        }, 20);
      });
    const running = run(['validate', file, '--watch'], { out: (t) => void (stdout += t), err: (t) => void (stderr += t), stop: stop.signal });
    await seen(/watching topology\.yaml/, () => stdout);
    writeFileSync(file, topology('', '10.0.0.5/16'));
    await seen(/cidr-host-bits/, () => stderr);
    // An editor writes a new file and renames it over the old one.
    writeFileSync(`${file}.swp`, topology('', '10.0.0.0/16'));
    renameSync(`${file}.swp`, file);
    await seen(/validating again[\s\S]*validating again[\s\S]*: ok\n$/, () => stdout);
    stop.abort();
    expect(await running).toBe(0);
    expect(stdout.match(/: ok\n/g)).toHaveLength(2);
  }, 30_000);
});
