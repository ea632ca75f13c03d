/**
 * The report in a real browser: Debian's Chromium, driven by playwright-core. It must show the
 * diagram and the tables without a console error; the screenshot is kept in test-results/ for a
 * person to look at. Without Chromium the test says so and skips, except under CI, which
 * installs Chromium and must run it.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { example, file, generateDocs } from './helpers.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const ARTEFACTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));

if (!CHROMIUM && !process.env.CI) console.warn('skipped the report browser test: no Chromium at /usr/bin/chromium (apt-get install chromium; CI installs it)');

describe.skipIf(!CHROMIUM && !process.env.CI)('report.html in headless Chromium', () => {
  it.each(['webapp-hybrid', 'branch-to-branch'])('%s renders its diagram and tables without console errors', async (name) => {
    expect(CHROMIUM, 'CI must have Chromium (.ci/run installs it)').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'hybridnet-report-'));
    const page_ = join(dir, 'report.html');
    writeFileSync(page_, file(await generateDocs(example(name)), 'report.html'));
    const browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(page_).href);
      expect(await page.locator('.diagram svg g.node').count()).toBeGreaterThan(5);
      expect(await page.locator('.diagram svg polyline.edge').count()).toBeGreaterThan(2);
      expect(await page.locator('table.subnets tr').count()).toBeGreaterThan(3);
      expect(await page.locator('.bar span').count()).toBeGreaterThan(2);
      expect(await page.locator('table.routes').count()).toBeGreaterThan(3);
      expect(await page.locator('h2', { hasText: 'Findings' }).count()).toBe(1);
      const svg = page.locator('.diagram svg');
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(400);
      // Fitted to the page however wide the drawing; a click shows it at full size, another fits it again.
      await page.setViewportSize({ width: 1000, height: 800 });
      const frame = (await page.locator('.diagram').boundingBox())!;
      const natural = Number(await svg.getAttribute('width'));
      expect((await svg.boundingBox())!.width).toBeLessThanOrEqual(Math.min(frame.width, natural));
      await svg.click();
      expect((await svg.boundingBox())!.width).toBeCloseTo(natural, 0);
      await svg.click({ position: { x: 5, y: 5 } });
      expect((await svg.boundingBox())!.width).toBeLessThanOrEqual(frame.width);
      await page.setViewportSize({ width: 1600, height: 1000 });
      mkdirSync(ARTEFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTEFACTS, `report-${name}.png`), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  // Chromium on Linux draws with whatever font it finds: every line must stay inside its box.
  it.each(['webapp-hybrid', 'webapp-regional', 'branch-to-branch'])('%s: every label fits its box, the standalone SVG loads, and an intent\'s path shows when chosen', async (name) => {
    expect(CHROMIUM, 'CI must have Chromium (.ci/run installs it)').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'hybridnet-diagram-'));
    const files = await generateDocs(example(name));
    writeFileSync(join(dir, 'report.html'), file(files, 'report.html'));
    writeFileSync(join(dir, 'diagram.svg'), file(files, 'diagram.svg'));
    const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await page.goto(pathToFileURL(join(dir, 'diagram.svg')).href);
      // An XML error (a "--" in a comment, an unescaped name) turns the page into Chromium's error document.
      expect(await page.evaluate(() => document.documentElement.localName)).toBe('svg');
      const overflow = await page.evaluate(() => {
        const out: string[] = [];
        for (const g of Array.from(document.querySelectorAll('g.node'))) {
          const box = (g.querySelector('rect') as SVGRectElement).getBBox();
          for (const t of Array.from(g.querySelectorAll(':scope > text'))) {
            const line = (t as SVGTextElement).getBBox();
            // The glyphs as drawn, not the text's nominal length: a wider font than measured shows here.
            const drawn = (t as SVGTextElement).getNumberOfChars() > 0 ? (t as SVGTextElement).getExtentOfChar((t as SVGTextElement).getNumberOfChars() - 1) : line;
            if (Math.max(line.x + line.width, drawn.x + drawn.width) > box.x + box.width + 0.5) out.push(`${g.id}: "${t.textContent}"`);
          }
        }
        return out;
      });
      expect(overflow).toEqual([]);
      const paths = await page.locator('g.intent-path').count();
      expect(paths).toBeGreaterThan(1);
      expect(await page.locator('g.intent-path').first().isVisible()).toBe(false);
      await page.locator('a .path-link').first().click();
      expect(await page.locator('g.intent-path').first().isVisible()).toBe(true);

      await page.goto(pathToFileURL(join(dir, 'report.html')).href);
      const link = page.locator('a.draw').first();
      const target = (await link.getAttribute('href'))!.slice(1);
      expect(await page.locator(`[id="${target}"]`).isVisible()).toBe(false);
      await link.click();
      expect(await page.locator(`[id="${target}"]`).isVisible()).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
