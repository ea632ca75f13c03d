/**
 * The contract every generator package implements: a pure function from a linked topology to
 * files. No file system, environment, clock or randomness inside; the writer puts files on disk.
 */
import type { Diagnostic } from './diagnostics.ts';
import type { TopologyIndex } from './link.ts';
import type { Topology } from './schema/topology.ts';

export interface GeneratedFile {
  /** Relative POSIX path inside the target's output folder. */
  readonly path: string;
  readonly content: string;
}

export interface GenerateResult {
  readonly files: GeneratedFile[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Facts a generator may print but must not work out itself, handed in by the caller. Today: what
 * the route simulation (in @hybridnet/validate) expects each site to route toward Azure, which
 * verification steps check.
 */
export interface GenerateContext {
  /** Prefixes each site should route toward Azure once everything is up, by site name. */
  readonly expectedSiteRoutes: ReadonlyMap<string, readonly string[]>;
  /** What each gateway, Route Server, site and subnet learns (for reports and verification plans). */
  readonly routes?: readonly ContextRouteSet[];
  /** The validator's and the generators' checks' findings (warnings; a topology with errors never reaches generators). */
  readonly findings?: readonly Diagnostic[];
  /** The topology file as the user named it, for the commands a runbook shows (default topology.yaml). */
  readonly source?: string;
  /** Each intent's verdict from the data plane (in @hybridnet/validate), for reports and verification plans. */
  readonly intents?: readonly ContextIntent[];
}

export interface ContextIntent {
  readonly name: string;
  readonly kind: 'reach' | 'symmetric' | 'isolate';
  readonly from: string;
  readonly to: readonly string[];
  readonly via?: string;
  /** The traffic: its protocol, and the port it names (else verification probes a test endpoint's listener, or what the firewall passes). */
  readonly protocol: 'tcp' | 'udp' | 'icmp';
  readonly port?: number;
  readonly holds: boolean;
  /** Test endpoints with fixed addresses at the source, and at each target. */
  readonly sourceEndpoints: readonly string[];
  readonly targetEndpoints: readonly (readonly string[])[];
  /** With `survives:`: each failure set (elements as `kind:name`) and whether the intent holds with it down. */
  readonly survives?: readonly { readonly elements: readonly string[]; readonly holds: boolean; readonly why?: string }[];
  /** The failing flows, or one that holds per target: hops as text, request and reply. */
  readonly flows: readonly {
    readonly target: string;
    readonly source: string;
    readonly destination: string;
    readonly verdict: string;
    readonly why: string;
    /** Each hop as text, as the trace prints it. */
    readonly request: readonly string[];
    readonly reply: readonly string[];
    /** The element of each hop (`subnet:<vnet>/<subnet>`, `gateway:<name>`, `site:<name>`…), for drawing the path. */
    readonly requestPath: readonly string[];
    readonly replyPath: readonly string[];
  }[];
}

export interface ContextRouteSet {
  readonly kind: 'vpn-gateway' | 'expressroute-gateway' | 'route-server' | 'site' | 'subnet' | 'app-service';
  readonly name: string;
  /** `nextHop` is the text printed; `hop` the typed next hop (`kind`: vnet-local, none, internet, appliance, virtual-network-gateway…). */
  readonly routes: readonly { readonly prefix: string; readonly nextHop: string; readonly hop: { readonly kind: string }; readonly origin: string; readonly active?: boolean }[];
}

export interface Generator {
  /** Short target name used on the command line and as the output folder (bicep, rras, ...). */
  readonly target: string;
  readonly description: string;
  /** Pure; may be asynchronous (graph layout is). */
  generate(topology: Topology, index: TopologyIndex, context: GenerateContext): GenerateResult | Promise<GenerateResult>;
}
