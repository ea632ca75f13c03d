/** The diagram's text widths (packages/gen-docs/src/data/text-metrics.ts) are the fonts' own. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FONT_FILES, textMetricsSource } from '../write-text-metrics.ts';

const installed = Object.values(FONT_FILES).every((f) => existsSync(f));
if (!installed && !process.env.CI) console.warn('skipped the text metrics check: no Liberation Sans (apt-get install fonts-liberation; CI installs it)');

describe.skipIf(!installed && !process.env.CI)('text metrics', () => {
  it('equal what tools/write-text-metrics.ts reads from Liberation Sans', () => {
    expect(installed, 'CI must have fonts-liberation (.ci/run installs it)').toBe(true);
    expect(readFileSync(new URL('../../packages/gen-docs/src/data/text-metrics.ts', import.meta.url), 'utf8')).toBe(textMetricsSource());
  });
});
