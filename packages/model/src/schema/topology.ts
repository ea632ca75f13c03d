/** The root of a topology file. */
import { z } from 'zod';
import { Azure } from './azure.ts';
import { Connection, Site, TestEndpoint } from './onprem.ts';
import { Name } from './primitives.ts';

export const Topology = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors.'),
    hybridnet: z.literal(1).describe('Topology format version.'),
    name: Name.describe('Name of the topology; prefixes generated deployment names.'),
    description: z.string().max(2000).optional().describe('Free text.'),
    azure: Azure,
    sites: z.array(Site).default([]),
    connections: z.array(Connection).default([]),
    testEndpoints: z.array(TestEndpoint).default([]),
  })
  .describe('A hybrid network: Azure VNets and gateways, on-premises sites, and the connections between them.');

export type Topology = z.infer<typeof Topology>;
