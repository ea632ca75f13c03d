/**
 * Diagnostics: how every package reports a problem with the user's topology.
 *
 * A diagnostic names a stable kebab-case code (`hybridnet/model/unknown-key`), a severity, a
 * message that names the objects involved, the model path (`sites[2].lan[0]`) and, once the
 * loader has mapped the path back to the file, the line and column. User mistakes are reported,
 * never thrown.
 */

export type Severity = 'error' | 'warning' | 'info';
export type ModelPath = readonly (string | number)[];

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Where in the model the problem is; empty for whole-file problems. */
  readonly path: ModelPath;
  /** How to fix it. */
  readonly hint?: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** Whether a model path may lead to a secret (a key, a password): its value is never echoed. */
export function isSecretPath(path: ModelPath): boolean {
  return path.some((p) => typeof p === 'string' && /key|password|secret/i.test(p) && p !== 'keyVault');
}

/** `sites[2].lan[0]`; an empty path is the document root. */
export function formatPath(path: ModelPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part) && part.length <= 80) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(echo(part))}]`;
  }
  return out || '(root)';
}

/**
 * Text safe to print on a terminal: control characters (C0, DEL, C1, which include ESC and BEL
 * and so screen clearing, fake output and window titles) and the bidirectional overrides are
 * spelled out as `\u001b` (the same escape JSON uses, so JSON output stays valid); nothing else changes.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value echoed in a message: at most `max` characters, then how long it really is. */
export function echo(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length.toLocaleString('en')} characters)` : text;
}

/** One line per problem: `file:line:col - error <code>: <message> (at <path>) — <hint>`, safe for a terminal. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}:${d.line ?? 1}:${d.column ?? 1}` : formatPath(d.path);
  const at = d.file && d.path.length > 0 ? ` (at ${formatPath(d.path)})` : '';
  const hint = d.hint ? ` — ${d.hint}` : '';
  return printable(`${where} - ${d.severity} ${d.code}: ${d.message}${at}${hint}`);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorted by file position, then path, then code, so output order never depends on rule order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      formatPath(a.path).localeCompare(formatPath(b.path)) ||
      a.code.localeCompare(b.code),
  );
}

/** Keeps the first diagnostic for each (path, code). */
export function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}\u0000${formatPath(d.path)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
