import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const bin = new URL('../bin/hybridnet.js', import.meta.url).pathname;

describe('the hybridnet binary', () => {
  it('validates an example and exits 0', () => {
    const result = spawnSync(process.execPath, [bin, 'validate', 'examples/branch-to-branch/topology.yaml'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('examples/branch-to-branch/topology.yaml: ok\n');
    expect(result.status).toBe(0);
  });

  it('exits 2 on a usage error', () => {
    const result = spawnSync(process.execPath, [bin, 'validate'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("missing required argument 'topology'");
  });
});
