/**
 * What this generator would refuse or warn about, without printing anything: the transform's
 * diagnostics. `hybridnet validate` calls it (this entry loads no template engine), so validate
 * reports everything generate would.
 */
import type { Diagnostic, Topology, TopologyIndex } from '@hybridnet/model';
import { toArmTemplate } from './transform.ts';

export function check(topology: Topology, index: TopologyIndex): Diagnostic[] {
  return toArmTemplate(topology, index).diagnostics;
}
export { BICEP_CODES } from './diagnostics.ts';
