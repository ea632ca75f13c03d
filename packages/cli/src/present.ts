/**
 * Diagnostics on a terminal, as the best compilers print them: the one-line form
 * (`file:line:col - error <code>: …`, stable for scripts and editors' problem matchers), then the
 * source line with a caret under the column, and colour only when the stream is a terminal and
 * neither NO_COLOR nor --no-color says otherwise.
 */
import { createColors } from 'picocolors';
import { echo, formatDiagnostic, isSecretPath, printable, type Diagnostic } from '@hybridnet/model';

/** Lines longer than this are shown as a window around the column. */
const EXCERPT_WIDTH = 120;

/** The diagnostic, its excerpt when the source is known, coloured when asked; every part safe for a terminal. */
export function presentDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, string>, color: boolean): string {
  const c = createColors(color);
  const line = formatDiagnostic(d);
  const tone = d.severity === 'error' ? c.red : d.severity === 'warning' ? c.yellow : c.cyan;
  // The one-line form stays byte-identical without colour; with it, only the severity and code are tinted.
  const head = color ? line.replace(` - ${d.severity} ${d.code}:`, ` - ${tone(c.bold(d.severity))} ${c.dim(d.code)}:`) : line;
  const text = d.file !== undefined ? sources.get(d.file) : undefined;
  const excerpt = text !== undefined && d.line !== undefined ? sourceExcerpt(text, d.line, d.column ?? 1, isSecretPath(d.path) || d.code === 'hybridnet/model/literal-secret') : undefined;
  if (!excerpt) return `${head}\n`;
  const gutter = String(d.line).length;
  return `${head}\n${c.dim(`${' '.repeat(2)}${d.line} | `)}${excerpt.source}\n${c.dim(`${' '.repeat(2 + gutter)} | `)}${tone(excerpt.marker)}\n`;
}

/** A key whose value may be a secret, and that value, in a YAML or JSON line (block or flow style). */
const SECRET_VALUE = /((?:^|[\s{,])["']?[\w-]*(?:key|password|secret)[\w-]*["']?[ \t]*:[ \t]*)(?!\{|\[|$)("[^"]*"?|'[^']*'?|[^,}\]#\s][^,}\]#]*)/gi;

/** Where each line of the last text excerpted starts: a file with thousands of diagnostics is scanned once, not once per diagnostic. */
let lastLines: { text: string; starts: number[] } | undefined;
function lineStarts(text: string): number[] {
  if (lastLines?.text === text) return lastLines.starts;
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  lastLines = { text, starts };
  return starts;
}

/**
 * The line `line` of `text` (1-based) and a marker under `column`: carets under the token that
 * starts there. Tabs stay tabs in the marker so it lines up; a long line is cut to a window
 * around the column; control characters are spelled out (the marker accounts for that). Secrets
 * never show: the value of a key that looks like one is masked on every line, and with `secret`
 * (the diagnostic is about a secret's place) so is the token at the column.
 */
export function sourceExcerpt(text: string, line: number, column: number, secret = false): { source: string; marker: string } | undefined {
  const starts = lineStarts(text);
  if (line < 1 || line > starts.length) return undefined;
  const start = starts[line - 1]!;
  const end = text.indexOf('\n', start);
  let source = text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
  let at = Math.min(Math.max(column - 1, 0), source.length);
  // From the start of the token the column is in (a position inside a secret must not split it).
  while (at > 0 && /[^\s,{}[\]"']/.test(source[at - 1]!) && /[^\s,{}[\]"']/.test(source[at] ?? ' ')) at--;
  // Mask before and after the column apart, so the column still points at the same token.
  const mask = (part: string) => part.replace(SECRET_VALUE, (_, key: string, value: string) => `${key}***${/\s*$/.exec(value)![0]}`);
  const head = source.slice(0, at);
  let tail = source.slice(at);
  if (secret || /(?:key|password|secret)[\w-]*["']?[ \t]*:[ \t]*$/i.test(head)) {
    const token = /^(?:"[^"]*"?|'[^']*'?|[^\s,\]}#]+)/.exec(tail)?.[0] ?? '';
    tail = `${token ? '***' : ''}${tail.slice(token.length)}`;
  }
  source = `${mask(head)}${mask(tail)}`;
  at = mask(head).length;
  let prefix = '';
  if (source.length > EXCERPT_WIDTH) {
    const from = Math.max(0, Math.min(at - 40, source.length - EXCERPT_WIDTH));
    prefix = from > 0 ? '…' : '';
    source = `${source.slice(from, from + EXCERPT_WIDTH)}${from + EXCERPT_WIDTH < source.length ? '…' : ''}`;
    at -= from;
  }
  // The token: up to white space, a flow separator, or a mapping colon (IPv6 colons stay inside).
  const token = /^(?:[^\s,\]}:]|:(?=[^\s,\]}]))*/.exec(source.slice(at))?.[0] ?? '';
  const before = terminalText(source.slice(0, at));
  const marker = `${' '.repeat(prefix.length)}${before.replace(/[^\t]/g, ' ')}${'^'.repeat(Math.max(1, terminalText(token).length))}`;
  return { source: `${prefix}${terminalText(source)}`, marker };
}

/** Text as printed on a terminal: control characters spelled out, line ends and tabs kept (so a marker lines up). */
export const terminalText = (text: string): string => text.split('\n').map((line) => line.split('\t').map(printable).join('\t')).join('\n');

/**
 * A value Azure sent, as printed in a table or a progress line: one line (line ends and every
 * other control character spelled out, so an answer cannot fake a line of ours) and at most `max`
 * characters, then its real length.
 */
export const azureText = (text: string, max = 300): string => printable(echo(text, max));

/** Whether to colour a stream: a terminal, and neither NO_COLOR (any non-empty value) nor --no-color. */
export function wantsColor(isTTY: boolean | undefined, environment: Readonly<Record<string, string | undefined>>, flag: boolean): boolean {
  if (!flag || (environment.NO_COLOR ?? '') !== '') return false;
  if ((environment.FORCE_COLOR ?? '') !== '' && environment.FORCE_COLOR !== '0') return true;
  return isTTY === true && environment.TERM !== 'dumb';
}
