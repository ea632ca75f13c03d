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
    sites: z.array(Site).default([]).describe('On-premises sites (real or simulated).'),
    connections: z.array(Connection).default([]).describe('Site-to-site, VNet-to-VNet and ExpressRoute connections.'),
    testEndpoints: z.array(TestEndpoint).default([]).describe('Small VMs used to verify connectivity end to end.'),
  })
  .describe('A hybrid network: Azure VNets and gateways, on-premises sites, and the connections between them.');

export type Topology = z.infer<typeof Topology>;
