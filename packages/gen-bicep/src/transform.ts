/**
 * Topology → ArmTemplate: one small function per resource family (network, gateways and Route
 * Server, connections, firewall, App Service, test VMs), assembled here in dependency order.
 * Property shapes follow the official type data (Microsoft.Network 2025-05-01, Microsoft.Web
 * and Microsoft.Compute 2024-11-01), which the tests check every resource against.
 *
 * Values known only after a deployment flow through parameters (on-premises public IPs) and
 * outputs (gateway instance public IPs and BGP addresses, named as the RRAS and CloudFormation
 * artefacts name them). Keys are secure parameters without defaults.
 */
import { pascalName, type Diagnostic, type Topology, type TopologyIndex } from '@hybridnet/model';
import { param } from './ir.ts';
import { appResources } from './app.ts';
import { createBuild, type Placed } from './build.ts';
import { connections } from './connections.ts';
import { firewallResources } from './firewall.ts';
import { expressRouteGateways, routeServers, vpnGateways } from './gateways.ts';
import type { ArmParameter, ArmResource, ArmTemplate } from './ir.ts';
import { NAME_LIMITS } from './names.ts';
import { natGateways, networkSecurityGroups, peerings, routeTables, vnets } from './network.ts';
import { regionOf } from './regions.ts';
import { placeRoles } from './roles.ts';
import { testVmResources } from './test-vms.ts';

export function toArmTemplate(topology: Topology, index: TopologyIndex): { template: ArmTemplate; diagnostics: Diagnostic[] } {
  const parameters: ArmParameter[] = [{ name: 'location', type: 'string', secure: false, default: topology.azure.location, description: 'Region of every resource.' }];
  const outputs: ArmTemplate['outputs'] = [];
  const diagnostics: Diagnostic[] = [];
  const b = createBuild(topology, index, parameters, outputs, diagnostics);

  const placed: Placed[] = [...routeTables(b), ...networkSecurityGroups(b), ...natGateways(b), ...vnets(b), ...vpnGateways(b), ...expressRouteGateways(b), ...routeServers(b), ...peerings(b), ...connections(b)];
  const { local, modules } = placeRoles(topology, [firewallResources(b), appResources(b), testVmResources(b)]);
  const checkName = (r: Pick<ArmResource, 'name' | 'type'>, path: Diagnostic['path']) => {
    const [min, max] = NAME_LIMITS[r.type] ?? [1, 80];
    if (r.name.length < min || r.name.length > max) b.report('hybridnet/gen-bicep/invalid-name', 'error', path, `"${r.name}" is not a valid ${r.type.split('/').pop()} name: Azure takes ${min} to ${max} characters`, 'shorten the name in the topology');
  };
  for (const p of placed) checkName(p.resource, p.path);
  for (const r of [...local, ...modules.flatMap((m) => m.template.resources)]) checkName(r, ['azure']);

  // Each resource in its VNet's region, named by a parameter of its own (default: that region).
  const region = regionOf(topology, index, [...placed.map((p) => p.resource), ...local, ...modules.flatMap((m) => m.template.resources)]);
  const regionParameters = new Map<string, ArmParameter>();
  const located = (r: ArmResource): ArmResource => {
    const own = region(r);
    if (!own) return r;
    const p = regionParameters.get(own) ?? { name: `location${pascalName(own)}`, type: 'string' as const, secure: false, default: own, description: `Region of the VNets the topology places in ${own}, and of what lives with them.` };
    regionParameters.set(own, p);
    return { ...r, location: p.name };
  };
  const resources = sortByDependency([...placed.map((p) => p.resource), ...local].map(located));
  const locatedModules = modules.map((m) => {
    const inner = m.template.resources.map(located);
    const used = [...new Set(inner.map((r) => r.location).filter((l): l is string => typeof l === 'string'))].map((name) => [...regionParameters.values()].find((p) => p.name === name)!);
    return used.length === 0 ? m : { ...m, template: { ...m.template, parameters: [...m.template.parameters, ...used.map((p) => ({ ...p, default: undefined }))], resources: inner }, parameters: { ...m.parameters, ...Object.fromEntries(used.map((p) => [p.name, param(p.name)])) } };
  });
  parameters.splice(1, 0, ...regionParameters.values());
  return {
    template: { description: `hybridnet: Azure side of topology ${topology.name}`, parameters, resources, outputs, modules: locatedModules },
    diagnostics,
  };
}

/** Resources in an order where each comes after what it depends on (stable otherwise). */
function sortByDependency(resources: ArmResource[]): ArmResource[] {
  const bySymbol = new Map(resources.map((r) => [r.symbol, r]));
  const done = new Set<string>();
  const out: ArmResource[] = [];
  const visit = (r: ArmResource) => {
    if (done.has(r.symbol)) return;
    done.add(r.symbol);
    for (const d of r.dependsOn) {
      const dep = bySymbol.get(d);
      if (dep) visit(dep);
    }
    out.push(r);
  };
  resources.forEach(visit);
  return out;
}
