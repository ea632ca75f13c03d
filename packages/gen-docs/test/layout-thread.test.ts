/**
 * ELK's thread: started ahead of a layout (as the command line does while it reads the topology)
 * it lays out exactly what a thread started on demand does, and when nobody takes it, the process
 * still ends.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '@hybridnet/model';
import { layoutSvg, topologyGraph, warmLayout } from '@hybridnet/gen-docs';
import { example } from './helpers.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('the layout thread started ahead', () => {
  it('draws the same diagram as one started on demand', async () => {
    const loaded = parseTopology(example('branch-to-branch'), 'topology.yaml');
    const graph = topologyGraph(loaded.topology!, loaded.index!);
    const cold = await layoutSvg(graph);
    warmLayout();
    expect(await layoutSvg(graph)).toBe(cold);
  });

  it('does not keep a process alive when no layout takes it', () => {
    const script = "import('@hybridnet/gen-docs').then(({ warmLayout }) => { warmLayout(); console.log('started'); });";
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect(result.signal).toBeNull();
    expect([result.status, result.stdout]).toEqual([0, 'started\n']);
  });
});
