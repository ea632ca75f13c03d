/**
 * A failure as a topology: what the network is with one element gone, so the route simulation can
 * answer for the state `lab fail` makes and the two can be compared.
 *
 * - `tunnel:<connection>/<n>`: the connection keeps its other tunnels (none left: no connection);
 * - `connection:<name>` and `circuit:<name>`: the connection is gone;
 * - `instance:<gateway>/<n>`: every connection of that gateway loses its tunnel to the instance.
 */
import { connectionTunnels, linkTopology, type Topology, type TopologyIndex } from '@hybridnet/model';

export function topologyWithout(topology: Topology, index: TopologyIndex, element: string): { topology: Topology; index: TopologyIndex } {
  const copy = structuredClone(topology);
  const [kind, rest = ''] = [element.slice(0, element.indexOf(':')), element.slice(element.indexOf(':') + 1)];
  const slash = rest.lastIndexOf('/');
  const dropTunnel = (connection: string, instance: number) => {
    copy.connections = copy.connections.flatMap((c) => {
      if (c.name !== connection || c.type !== 'site-to-site') return [c];
      const tunnels = connectionTunnels(c, index).filter((t) => t.instance !== instance);
      return tunnels.length === 0 ? [] : [{ ...c, tunnels }];
    });
  };
  if (kind === 'tunnel') dropTunnel(rest.slice(0, slash), Number(rest.slice(slash + 1)));
  else if (kind === 'connection' || kind === 'circuit') copy.connections = copy.connections.filter((c) => c.name !== rest);
  else if (kind === 'instance') {
    const gateway = rest.slice(0, slash);
    for (const c of topology.connections) if (c.type === 'site-to-site' && c.gateway === gateway) dropTunnel(c.name, Number(rest.slice(slash + 1)));
  } else throw new Error(`not a lab element: ${element}`);
  return { topology: copy, index: linkTopology(copy).index };
}
