import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { compile, mdCodes, mdText, psComment, psList, psString, shString } from '@hybridnet/render';
import { pwsh, PWSH, skipWithout } from '../../../tools/test-support/vendor-tools.ts';

const hostile = ["it's", "'; rm -rf / #", '$(reboot)', '`id`', '${HOME}', 'a\nb', '"double"', '\\', ''];

describe('shString', () => {
  it.each(hostile)('%j comes back from the shell unchanged', (value) => {
    const result = spawnSync('sh', ['-c', `printf '%s' ${shString(value)}`], { encoding: 'utf8' });
    expect(result.stdout).toBe(value);
  });
});

describe('psString', () => {
  it('doubles straight and typographic single quotes', () => {
    expect(psString("it's ‘quoted’")).toBe("'it''s ‘‘quoted’’'");
  });
});

describe('psList', () => {
  it('is the array of the quoted values, whether or not any needs its quotes doubled', () => {
    expect(psList([])).toBe('@()');
    expect(psList(['10.0.0.0/16:100', '10.1.0.0/16:100'])).toBe("@('10.0.0.0/16:100', '10.1.0.0/16:100')");
    fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom("'", '‘', '’', '‚', '‛', ''))), (values) => psList(values) === `@(${values.map(psString).join(', ')})`));
  });

  it.skipIf(skipWithout('PowerShell', { pwsh: PWSH }))('reads back as the same strings in PowerShell', () => {
    const values = [...hostile, '10.0.0.0/16:100', "‘quoted’"];
    const dir = mkdtempSync(join(tmpdir(), 'hybridnet-pslist-'));
    const file = join(dir, 'list.ps1');
    writeFileSync(file, `ConvertTo-Json -Compress -InputObject ${psList(values)}\n`);
    expect(JSON.parse(pwsh(`& '${file}'`).stdout)).toEqual(values);
  });
});

describe('psComment', () => {
  const skip = skipWithout('psComment under PowerShell', { pwsh: PWSH });
  (skip ? it.skip : it)('free text never becomes a comment-based help keyword (Get-Help would fetch .EXTERNALHELP from a UNC path)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hybridnet-help-'));
    const file = join(dir, 'script.ps1');
    const lines = ['.EXTERNALHELP \\\\host\\share\\h.xml', '  .FORWARDHELPTARGETNAME Get-Item', '.REMOTEHELPRUNSPACE x'].map(psComment);
    writeFileSync(file, `<#\n.SYNOPSIS\n    Demo.\n.DESCRIPTION\n${lines.map((l) => `    ${l}`).join('\n')}\n#>\nparam()\n`);
    const result = pwsh(`$help = [System.Management.Automation.Language.Parser]::ParseFile('${file}', [ref]$null, [ref]$null).GetHelpContent()\n"maml=[$($help.MamlHelpFile)] forward=[$($help.ForwardHelpTargetName)] remote=[$($help.RemoteHelpRunspace)]"`);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('maml=[] forward=[] remote=[]');
    expect(lines[0]).toBe('> .EXTERNALHELP \\\\host\\share\\h.xml');
  });
});

describe('mdText', () => {
  it('escapes what would format, link or break a table', () => {
    expect(mdText('a | b *c* [d](e) <f>')).toBe('a \\| b \\*c\\* \\[d\\](e) \\<f\\>');
  });
});

describe('mdCodes', () => {
  it('writes inline code, comma-separated, as the each loop it replaces did', () => {
    const loop = compile<{ values: string[] }>('{{#each values}}{{#unless @first}}, {{/unless}}`{{this}}`{{/each}}');
    const helper = compile<{ values: string[] }>('{{mdCodes values}}');
    fc.assert(fc.property(fc.array(fc.string().filter((v) => !v.includes('`'))), (values) => helper({ values }) === loop({ values })));
    expect(mdCodes(['10.0.0.0/16:100', 'fd00::/64:100'])).toBe('`10.0.0.0/16:100`, `fd00::/64:100`');
  });

  it('never lets a backtick end a code span: such a value is escaped text', () => {
    expect(mdCodes(['a`b | c', 'd'])).toBe('a\\`b \\| c, `d`');
  });
});

describe('compile', () => {
  it('throws on a missing field instead of printing nothing', () => {
    expect(() => compile<{ a?: string }>('{{a}}')({})).toThrow(/"a" not defined/);
  });
  it('does not HTML-escape', () => {
    expect(compile<{ a: string }>('{{a}}')({ a: '<&>' })).toBe('<&>');
  });
  it('refuses helpers it does not know', () => {
    expect(() => compile<object>('{{unknownHelper 1}}')({})).toThrow(/unknownHelper/);
  });
});
