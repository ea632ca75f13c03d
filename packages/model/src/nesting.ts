/**
 * A bound on nesting, checked before the YAML parser runs (flow brackets, indentation, and
 * compact "- - -" nesting, which counts as the indentation it stands for). The parser's own guard is a caught
 * stack overflow, so where it trips depends on how much stack the caller has left; this check
 * trips at the same place every time. A topology nests about ten levels deep; the limits leave
 * ample room.
 */
export const MAX_FLOW_DEPTH = 64;
export const MAX_INDENT = 256;

/** Offset of the first place that nests too deep, or undefined. Quoted text and comments are skipped. */
export function excessiveNesting(text: string): { offset: number; reason: string } | undefined {
  let depth = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart && c === ' ') {
      if (++indent > MAX_INDENT) return { offset: i, reason: `indented more than ${MAX_INDENT} columns` };
      continue;
    }
    // Compact nesting: each "- " (or "? " / ": ") that opens a line's content is a level, as
    // deep as the indentation it stands for ("- - - x" nests three sequences on one line).
    if (lineStart && (c === '-' || c === '?' || c === ':') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
      indent += 2;
      if (indent > MAX_INDENT) return { offset: i, reason: `nested more than ${MAX_INDENT / 2} levels on one line` };
      i++;
      continue;
    }
    const prev = lineStart ? ' ' : text[i - 1]!;
    lineStart = false;
    if (c === '#' && (prev === ' ' || prev === '\t' || i === 0 || text[i - 1] === '\n')) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if ((c === '"' || c === "'") && /[\s:[{,]/.test(prev)) {
      i = skipQuoted(text, i, c);
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_DEPTH) return { offset: i, reason: `more than ${MAX_FLOW_DEPTH} nested [ or {` };
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function skipQuoted(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}
