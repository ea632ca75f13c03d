/**
 * Escaping for each language hybridnet writes, without the template engine: code that only
 * needs to quote a value (a transform, a check) imports this and loads no Handlebars.
 */
/** A PowerShell single-quoted string: no expansion; quotes (including the typographic ones PowerShell also accepts) doubled. */
/** The quotes PowerShell reads as single quotes: straight and typographic. */
const PS_QUOTE = /['\u2018\u2019\u201a\u201b]/;
const PS_QUOTES = new RegExp(PS_QUOTE.source, 'g');

export function psString(value: string): string {
  // Most values (prefixes, names) hold no quote: the test is cheaper than a replace with a callback.
  return PS_QUOTE.test(value) ? `'${value.replace(PS_QUOTES, (q) => q + q)}'` : `'${value}'`;
}

/** A PowerShell array of single-quoted strings, `@('a', 'b')`; a large estate's scripts list hundreds of prefixes each. */
export function psList(values: readonly string[]): string {
  if (values.length === 0) return '@()';
  return values.some((v) => PS_QUOTE.test(v)) ? `@(${values.map(psString).join(', ')})` : `@('${values.join("', '")}')`;
}

/**
 * Values as Markdown inline code, comma-separated (`a`, `b`); a value holding a backtick, which
 * would end its code span, is written as escaped text instead.
 */
export function mdCodes(values: readonly string[]): string {
  return values.map((v) => (v.includes('`') ? mdText(v) : `\`${v}\``)).join(', ');
}

/**
 * Free text inside a PowerShell comment: one line, ASCII only (Windows PowerShell 5.1 reads
 * BOM-less files as ANSI), no block-comment end, and never a comment-based help keyword: a line
 * of help that starts with ".EXTERNALHELP \\host\share\h.xml" would make Get-Help fetch from there,
 * so text starting with a dot gets a "> " in front.
 */
export function psComment(value: string): string {
  const line = value.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').replace(/#>/g, '# >').replace(/<#/g, '< #').trim();
  return line.startsWith('.') ? `> ${line}` : line;
}

/** A POSIX shell single-quoted word: nothing expands inside; a quote becomes '\\''. */
export function shString(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Free text inside a shell comment: one line. */
export function shComment(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

/** Text or an attribute value in HTML, SVG or XML. */
const XML_SPECIAL = /[&<>"']/;

export function xmlText(value: string): string {
  if (!XML_SPECIAL.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Inline Markdown text (a table cell, a list item): one line, with the characters that would format, link, break the table or open HTML escaped. */
export function mdText(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|~])/g, '\\$1');
}

/**
 * The text as one flat string. A printer's output is a rope of every piece it joined; kept until
 * the files are written, its nodes are copied by every young-generation collection meanwhile (a
 * fifth of generation time in a large estate). A number conversion makes V8 flatten the string
 * in place, and the pieces die young.
 */
export function flat(text: string): string {
  void Number(text);
  return text;
}
