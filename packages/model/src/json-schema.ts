/** The JSON Schema of a topology file, for editors (yaml-language-server, VS Code). */
import { z } from 'zod';
import { Topology } from './schema/topology.ts';

export function topologyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Topology, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return { ...schema, $id: 'https://hybridnet.dev/schema/topology-1.json', title: 'hybridnet topology' };
}
