import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { topologyJsonSchema } from '@hybridnet/model';

const committed = new URL('../topology.schema.json', import.meta.url);

describe('JSON Schema', () => {
  it('the committed topology.schema.json is current (regenerate with npm run schema)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(`${JSON.stringify(topologyJsonSchema(), null, 2)}\n`);
  });

  it('describes every field', () => {
    const undescribed: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (record.properties && typeof record.properties === 'object') {
        for (const [key, value] of Object.entries(record.properties as Record<string, Record<string, unknown>>)) {
          if (!value.description) undescribed.push(`${where}.${key}`);
        }
      }
      for (const [key, value] of Object.entries(record)) walk(value, `${where}.${key}`);
    };
    walk(topologyJsonSchema(), '$');
    expect(undescribed).toEqual([]);
  });

  it('rejects unknown keys everywhere (strict objects)', () => {
    const loose: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      // A record (rules:) is not loose when its keys have a pattern and its values a schema.
      const keyed = record.propertyNames !== undefined && typeof record.additionalProperties === 'object';
      if (record.type === 'object' && record.additionalProperties !== false && !keyed) loose.push(where);
      for (const [key, value] of Object.entries(record)) walk(value, `${where}.${key}`);
    };
    walk(topologyJsonSchema(), '$');
    expect(loose).toEqual([]);
  });
});
