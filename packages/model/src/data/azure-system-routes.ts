/**
 * Azure's default system routes of every subnet, the one place hybridnet keeps them: the VNet's
 * own ranges (next hop Virtual network), 0.0.0.0/0 (Internet), and four reserved ranges whose next
 * hop is None, so traffic toward them is dropped unless a longer or preferred route covers it.
 * The route simulation, the data plane, the report and `verify azure` read them; so does the lab.
 *
 * Source: Microsoft Learn, "Virtual network traffic routing" (MicrosoftDocs/azure-docs
 * articles/virtual-network/virtual-networks-udr-overview.md, "Default" system routes and next hop
 * type None): 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 (RFC 1918) and 100.64.0.0/10 (RFC 6598)
 * have next hop None. "If you assign any of the previous address ranges within the address space
 * of a virtual network, Azure automatically changes the next hop type for the route from None to
 * Virtual network. If you assign an address range to the address space of a virtual network that
 * includes, but isn't the same as, one of the four reserved address prefixes, Azure removes the
 * route for the prefix and adds a route for the address prefix you added." A range inside a
 * reserved one (10.10.0.0/16) leaves its None route as it is (Microsoft's own sample of a NIC's
 * effective routes shows 172.16.0.0/12 None beside a VNet of 172.20.2.0/24).
 */
import { contains, parsePrefix } from '../cidr.ts';

export interface ReservedRoute {
  readonly prefix: string;
  /** Why Azure drops it. */
  readonly reserved: string;
}

export const AZURE_NONE_ROUTES: readonly ReservedRoute[] = [
  { prefix: '10.0.0.0/8', reserved: 'RFC 1918' },
  { prefix: '172.16.0.0/12', reserved: 'RFC 1918' },
  { prefix: '192.168.0.0/16', reserved: 'RFC 1918' },
  { prefix: '100.64.0.0/10', reserved: 'RFC 6598' },
];

/**
 * The reserved routes that keep next hop None in a VNet with this address space: one the space
 * holds exactly becomes its Virtual network route, one a range of the space contains is replaced
 * by that range's route; the others stay.
 */
export function noneRoutes(addressSpace: readonly string[]): ReservedRoute[] {
  const ranges = addressSpace.flatMap((p) => {
    const parsed = parsePrefix(p);
    return parsed.ok ? [parsed.value] : [];
  });
  return AZURE_NONE_ROUTES.filter((route) => {
    const reserved = parsePrefix(route.prefix);
    return reserved.ok && !ranges.some((r) => r.version === reserved.value.version && contains(r, reserved.value));
  });
}
