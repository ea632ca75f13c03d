/**
 * Barracuda CloudGen Firewall's built-in service objects a rule may name, with the ports they
 * stand for: what a probe through a firewall connects to (verification plans, the lab) and what the
 * lab's nftables firewall matches. `Any` matches every protocol and port.
 *
 * Source: Barracuda CloudGen Firewall documentation, "Service Objects" (campus.barracuda.com,
 * the predefined objects HTTP, HTTPS, SSH, RDP and DNS with their well-known ports; IANA's
 * service name registry for the numbers).
 */
export interface ServicePort {
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
}

export const FIREWALL_SERVICES: Readonly<Record<string, readonly ServicePort[] | 'any'>> = {
  Any: 'any',
  HTTP: [{ protocol: 'tcp', port: 80 }],
  HTTPS: [{ protocol: 'tcp', port: 443 }],
  SSH: [{ protocol: 'tcp', port: 22 }],
  RDP: [{ protocol: 'tcp', port: 3389 }],
  DNS: [{ protocol: 'udp', port: 53 }, { protocol: 'tcp', port: 53 }],
};

/**
 * The listener every test endpoint's image has, which verification (and the lab) connects to
 * when an intent names no port: SSH on Linux, RDP on Windows (Windows drops ping by default).
 */
export const LISTENER_PORTS: Readonly<Record<'linux' | 'windows', number>> = { linux: 22, windows: 3389 };

/** The TCP port a probe uses for a service object, if it has one. */
export function serviceTcpPort(service: string): number | undefined {
  const ports = FIREWALL_SERVICES[service];
  return Array.isArray(ports) ? ports.find((p) => p.protocol === 'tcp')?.port : undefined;
}
