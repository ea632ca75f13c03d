/**
 * Golden folders for generator tests: generated files compared byte for byte with
 * `test/scenarios/<case>/expected/**`, failing on missing, extra or stale files. RECORD=1 rewrites
 * the folder; the diff is then read like code.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Compares files with a golden folder byte for byte; RECORD=1 rewrites it. Returns the problems. */
export function compareGolden(folder: string, files: readonly { path: string; content: string }[]): string[] {
  if (process.env.RECORD === '1') {
    rmSync(folder, { recursive: true, force: true });
    for (const f of files) {
      mkdirSync(dirname(join(folder, f.path)), { recursive: true });
      writeFileSync(join(folder, f.path), f.content);
    }
  }
  const onDisk = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else onDisk.set(relative(folder, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(folder);
  const problems: string[] = [];
  for (const f of files) {
    const expected = onDisk.get(f.path);
    if (expected === undefined) problems.push(`missing golden ${f.path}`);
    else if (expected !== f.content) problems.push(`stale golden ${f.path}`);
    onDisk.delete(f.path);
  }
  for (const extra of onDisk.keys()) problems.push(`extra golden ${extra}`);
  return problems;
}
