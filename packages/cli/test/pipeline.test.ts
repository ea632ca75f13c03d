import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '@hybridnet/model';
import * as barracuda from '../../gen-barracuda/test/cases.ts';
import * as bicep from '../../gen-bicep/test/cases.ts';
import * as cloudformation from '../../gen-cloudformation/test/cases.ts';
import * as rras from '../../gen-rras/test/cases.ts';
import { generateContext } from '../src/pipeline.ts';
import { loadGenerator, TARGETS } from '../src/targets.ts';
import { cli, tempDir, tree } from './helpers.ts';

const EXAMPLES = new URL('../../../examples/', import.meta.url).pathname;
const examples = readdirSync(EXAMPLES).map((name) => join(EXAMPLES, name, 'topology.yaml'));

describe("the report's findings do not depend on which generators ran before docs", () => {
  // The docs generator reads the other targets' findings: from the generators that have run by
  // then, from the checks of the rest. That is sound only while each check says what its
  // generator says.
  it("every target's check says exactly what its generator says, on every example and every generator diagnostic case", async () => {
    const texts = [...examples.map((file) => readFileSync(file, 'utf8')), ...[bicep, rras, cloudformation, barracuda].flatMap((c) => (c.DIAGNOSTIC_CASES as { text: () => string }[]).map((d) => d.text()))];
    let compared = 0;
    for (const text of texts) {
      const { topology, index } = parseTopology(text, 'topology.yaml');
      if (!topology || !index) continue;
      const context = generateContext(topology, index);
      for (const entry of TARGETS.filter((t) => t.check)) {
        const said = (await (await loadGenerator(entry))!.generate(topology, index, context)).diagnostics;
        expect((await entry.check!())(topology, index), entry.target).toEqual(said);
        compared += said.length;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(5);
  });

  it('docs alone writes what docs writes after every other target', async () => {
    for (const example of examples) {
      const alone = join(tempDir(), 'out');
      const after = join(tempDir(), 'out');
      expect((await cli(['generate', example, '--target', 'docs', '--out', alone])).code).toBe(0);
      expect((await cli(['generate', example, '--out', after])).code).toBe(0);
      expect(tree(join(after, 'docs'))).toEqual(tree(join(alone, 'docs')));
    }
  }, 60_000);
});
