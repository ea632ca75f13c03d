/**
 * What the parts of the plan share while it is built: the builder, the nodes each part made for
 * the others (gateway instances for tunnels, hosts for flows), and the gaps found on the way.
 */
import type { Topology, TopologyIndex } from '@hybridnet/model';
import type { FabricGateway, FabricSubnet, LabElement, LabGap, LabPlan, LabSecret } from '../ir.ts';
import type { PlanBuilder } from './builder.ts';
import type { FrrSpec } from './frr.ts';

export const INTERNET = 'inet';
export const FABRIC = 'fab';

/** One instance of a VPN gateway in the lab. */
export interface InstanceLab {
  readonly node: string;
  readonly index: number;
  /** Its address in GatewaySubnet, and the default BGP address. */
  readonly address: string;
  /** Its public address (the IKE identity sites see). */
  readonly publicIp: string;
  /** Its interface toward the fabric, and the fabric's address there (GatewaySubnet's .1). */
  readonly fabricIf: string;
  readonly fabricGateway: string;
}

export interface GatewayLab {
  readonly name: string;
  readonly vnet: string;
  readonly asn: number;
  readonly instances: InstanceLab[];
}

/** A host the lab can probe from or to, and the port it listens on. */
export interface HostLab {
  readonly node: string;
  readonly address: string;
  readonly label: string;
  readonly port: number;
}

/** Where a host can be placed: an Azure subnet, or a site's LAN (with the router hosts use). */
export interface Segment {
  readonly prefixes: readonly string[];
  /** Node and bridge a host joins. */
  readonly bridgeNode: string;
  readonly bridge: string;
  /** Where the host sends everything (the subnet's .1, the site's router or VPC router). */
  readonly gateway: string;
  /** First host number a lab host may take (Azure: .4). */
  readonly firstHost: number;
  readonly label: string;
}

export interface PlanContext {
  readonly topology: Topology;
  readonly index: TopologyIndex;
  readonly b: PlanBuilder;
  /** Addresses taken, per prefix text of a segment. */
  readonly used: Set<string>;
  readonly gateways: Map<string, GatewayLab>;
  readonly erGateways: Map<string, { node: string; address: string; vnet: string; circuits: string[] }>;
  readonly segments: Map<string, Segment>;
  readonly hosts: Map<string, HostLab>;
  /** A test endpoint's host, by endpoint name; an app's node and source address, by app name. */
  readonly endpoints: Map<string, HostLab>;
  readonly apps: Map<string, { node: string; address: string }>;
  readonly firewalls: Map<string, { node: string; address: string }>;
  readonly fabricSubnets: FabricSubnet[];
  readonly fabricGateways: FabricGateway[];
  readonly fabricInternet: { via: string; dev: string };
  readonly secrets: Map<string, LabSecret>;
  readonly elements: LabElement[];
  readonly expect: { sas: LabPlan['expect']['sas'][number][]; bgp: LabPlan['expect']['bgp'][number][] };
  readonly gaps: LabGap[];
  readonly notes: Set<string>;
  /** Internet hosts by address. */
  readonly internetHosts: Map<string, HostLab>;
  /** Public addresses the lab gave: `firewall:<name>`, `nat:<name>`, `instance:<gateway>/<n>`, `site:<name>`, `app:<name>`. */
  readonly publicIps: Map<string, string>;
  /** FRR of each routing node, rendered at the end. */
  readonly frr: Map<string, FrrSpec>;
}
