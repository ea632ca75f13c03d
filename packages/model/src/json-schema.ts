/** The JSON Schema of a topology file, for editors (yaml-language-server, VS Code). */
import { z } from 'zod';
import { Topology } from './schema/topology.ts';

export function topologyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Topology, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return { ...schema, $id: 'https://hybridnet.dev/schema/topology-1.json', title: 'hybridnet topology' };
}

let objects: readonly (readonly string[])[] | undefined;

/**
 * The property names of every object the schema declares, in declared order; worked out on first
 * use (the schema walk costs 20 to 60 ms, which no command should pay at start). `fmt` orders keys
 * by it, the loader suggests the nearest known key from it.
 */
export function schemaObjects(): readonly (readonly string[])[] {
  if (objects) return objects;
  const found: string[][] = [];
  const walk = (schema: unknown): void => {
    if (schema === null || typeof schema !== 'object') return;
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties' && value && typeof value === 'object') found.push(Object.keys(value));
      walk(value);
    }
  };
  walk(z.toJSONSchema(Topology, { io: 'input', unrepresentable: 'any' }));
  return (objects = found);
}
