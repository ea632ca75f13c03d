/**
 * Writes packages/gen-docs/src/data/text-metrics.ts: the advance widths of Liberation Sans
 * (regular and bold), the font the diagram names first, read with opentype.js from Debian's
 * fonts-liberation. Liberation Sans is metric-compatible with Arial, so the widths are Arial's
 * too. The diagram sizes its boxes and labels from them instead of guessing a width per character.
 *
 *   node --import tsx tools/write-text-metrics.ts            # rewrite the table
 *   node --import tsx tools/write-text-metrics.ts --check    # exit 1 when the table differs from the fonts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import opentype from 'opentype.js';

export const FONT_FILES = {
  regular: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  bold: '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
} as const;
const TABLE = fileURLToPath(new URL('../packages/gen-docs/src/data/text-metrics.ts', import.meta.url));

/** Printable ASCII and the few other characters the diagram's labels use. */
const CHARACTERS = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '→', '↔', '…', '×', '–', '—', '·', '’'].join('');

/** Widths in thousandths of an em, rounded to a whole number, in CHARACTERS order. */
function widths(file: string): number[] {
  const buffer = readFileSync(file);
  const font = opentype.parse(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
  return [...CHARACTERS].map((c) => Math.round((font.charToGlyph(c).advanceWidth! * 1000) / font.unitsPerEm));
}

export function textMetricsSource(): string {
  const rows = (list: number[]) => list.map((w, i) => (i % 19 === 0 ? `\n    ${w}` : ` ${w}`)).join(',');
  return `/**
 * Advance widths of Liberation Sans (metric-compatible with Arial), in thousandths of an em, for
 * the characters in CHARACTERS; a character not listed is as wide as "M". Source: Debian's
 * fonts-liberation (LiberationSans-Regular.ttf and -Bold.ttf), read by
 * tools/write-text-metrics.ts with opentype.js; a test holds this table to the fonts.
 */
export const CHARACTERS = ${JSON.stringify(CHARACTERS)};

export const ADVANCE = {
  regular: [${rows(widths(FONT_FILES.regular))},
  ],
  bold: [${rows(widths(FONT_FILES.bold))},
  ],
} as const;
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const source = textMetricsSource();
  if (process.argv.includes('--check')) {
    if (readFileSync(TABLE, 'utf8') !== source) {
      process.stderr.write(`${TABLE} differs from the fonts; run node --import tsx tools/write-text-metrics.ts\n`);
      process.exit(1);
    }
  } else writeFileSync(TABLE, source);
}
