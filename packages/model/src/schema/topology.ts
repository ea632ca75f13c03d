/** The root of a topology file. */
import { z } from 'zod';
import { Azure } from './azure.ts';
import { Connection, Site, TestEndpoint } from './onprem.ts';
import { Intent } from './intents.ts';
import { Name } from './primitives.ts';

/**
 * Behaviours Azure's documentation leaves open, made explicit so the route simulation never
 * guesses (../shared/reference/azure-rules.md §2.1 items 9 and 11, §6).
 */
export const SimulationSettings = z
  .strictObject({
    expressRouteLearnsStaticVpnRoutes: z
      .boolean()
      .default(false)
      .describe('Without Route Server, whether a co-existing ExpressRoute gateway learns the VPN gateway\'s static (local network gateway) prefixes. Documented: static prefixes are re-advertised to BGP peers; observed: only eBGP-learned routes pass from the VPN to the ExpressRoute gateway. Default false (the observed behaviour).'),
    vpnGatewayAdvertisesPointToSitePool: z
      .boolean()
      .default(true)
      .describe('Whether the VPN gateway advertises its point-to-site pool to BGP peers. Default true; set false to require every site to route the pool statically.'),
  })
  .describe('Assumptions of the route simulation where Azure\'s documentation is ambiguous.');

/** A severity a rule can be given: `off` drops its findings. */
export const RuleLevel = z.enum(['error', 'warning', 'info', 'off']);

/**
 * Per-rule severities, as the Bicep linter's `analyzers.core.rules.<rule>.level`: a diagnostic
 * code (`hybridnet/validate/…`) to a level. Hard rules (those whose findings are errors) cannot be
 * lowered; the command line's `--rule code=level` wins over this.
 */
export const RuleLevels = z
  .record(z.string().regex(/^hybridnet\/[a-z0-9-]+(\/[a-z0-9-]+)+$/, 'a diagnostic code such as hybridnet/validate/address/vnet-public-range'), RuleLevel)
  .describe('Severity per diagnostic code: error, warning, info or off. Warnings can be raised to errors or silenced; errors stay errors.');

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
    intents: z.array(Intent).default([]).describe('Which traffic must flow (or must not), where and through what; checked by validate before deploy and by verify after.'),
    simulation: SimulationSettings.prefault({}),
    rules: RuleLevels.default({}),
  })
  .describe('A hybrid network: Azure VNets and gateways, on-premises sites, and the connections between them.');

export type Topology = z.infer<typeof Topology>;
export type SimulationSettings = z.infer<typeof SimulationSettings>;
export type RuleLevel = z.infer<typeof RuleLevel>;
