/**
 * The resources outside the network (firewall, App Service, test VMs): each role goes into its
 * own resource group (a module) unless that group is the network's.
 */
import { resourceGroup, type ResourceRole, type Topology } from '@hybridnet/model';
import { param, type ArmModule, type ArmOutput, type ArmParameter, type ArmResource } from './ir.ts';

export interface RoleResources {
  readonly role: Exclude<ResourceRole, 'network'>;
  readonly resources: ArmResource[];
  readonly parameters: ArmParameter[];
  /** Values the network's resources read back (for example an app's certificate). */
  readonly outputs: ArmOutput[];
  /** Outer resources these must follow: the VNets whose subnets they use. */
  readonly after: string[];
}

/** The symbol of a role's module in the main template. */
export const moduleSymbol = (role: RoleResources['role']) => `${role}Resources`;

/** True when a role's resources go into the network's own template rather than a module. */
export const isLocal = (topology: Topology, role: RoleResources['role']) => resourceGroup(topology, role) === resourceGroup(topology, 'network');

/** Turns role resources into modules (own resource group) or main-template resources (the network's group). */
export function placeRoles(topology: Topology, roles: RoleResources[]): { local: ArmResource[]; modules: ArmModule[] } {
  const local: ArmResource[] = [];
  const modules: ArmModule[] = [];
  for (const r of roles) {
    if (r.resources.length === 0) continue;
    const after = [...new Set(r.after)];
    if (isLocal(topology, r.role)) {
      local.push(...r.resources.map((x) => (x.parent ? x : { ...x, dependsOn: [...x.dependsOn, ...after] })));
      continue;
    }
    const location: ArmParameter = { name: 'location', type: 'string', secure: false, default: topology.azure.location, description: 'Region of every resource.' };
    modules.push({
      symbol: moduleSymbol(r.role),
      role: r.role,
      resourceGroup: resourceGroup(topology, r.role),
      template: { description: `hybridnet: ${r.role} resources of topology ${topology.name}`, parameters: [location, ...r.parameters.map((p) => ({ ...p, default: undefined }))], resources: r.resources, outputs: r.outputs, modules: [] },
      parameters: { location: param('location'), ...Object.fromEntries(r.parameters.map((p) => [p.name, param(p.name)])) },
      dependsOn: after,
    });
  }
  return { local, modules };
}
