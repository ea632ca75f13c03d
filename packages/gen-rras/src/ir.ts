/**
 * The target-shaped form of one RRAS site: everything the script does, decided. The printer only
 * lays it out.
 */
export interface RrasParameter {
  /** PowerShell parameter name (PascalCase, [A-Za-z0-9]). */
  readonly name: string;
  /** PowerShell type: [ipaddress] rejects a malformed address before anything runs. */
  readonly type: 'SecureString' | 'ipaddress' | 'int';
  readonly mandatory: boolean;
  /** Default value (a literal known from the topology): strings are quoted, numbers printed bare. */
  readonly default: string | number | null;
  readonly help: string;
}

/** Where a connection's pre-shared key comes from when no parameter is given: exactly one source is set. */
export interface RrasSecretSource {
  /** One line for comments and messages ("environment variable HUB_PSK"). */
  readonly describe: string;
  readonly env: string | null;
  readonly keyVault: { readonly vault: string; readonly secret: string } | null;
  readonly awsSecretsManager: { readonly secretId: string; readonly jsonKey: string | null } | null;
  readonly ssmParameter: { readonly name: string } | null;
}

/** RRAS custom IPsec policy values, already in RRAS's enum names. */
export interface RrasPolicy {
  readonly encryptionMethod: string;
  readonly integrityCheckMethod: string;
  readonly cipherTransformConstants: string;
  readonly authenticationTransformConstants: string;
  readonly dhGroup: string;
  readonly pfsGroup: string;
  readonly saLifeTimeSeconds: number;
  readonly saDataSizeKilobytes: number;
}

export interface RrasConnection {
  readonly name: string;
  /** Parameter holding the optional SecureString key. */
  readonly keyParameter: string;
  readonly secret: RrasSecretSource;
  readonly policy: RrasPolicy | null;
}

export interface RrasTunnel {
  /** Name of the demand-dial interface (and of the BGP peer in BGP mode). */
  readonly interfaceName: string;
  readonly connection: string;
  readonly gateway: string;
  readonly instance: 0 | 1;
  /** Parameter holding this Azure instance's public IP. */
  readonly publicIpParameter: string;
  /** Static mode: IPv4 prefixes bound to the interface, with this tunnel's metric (Azure tunnels carry IPv4 only). */
  readonly ipv4Routes: string[];
  /** BGP mode: parameter holding the Azure instance's BGP address (routed as a /32). */
  readonly bgpIpParameter: string | null;
  readonly metric: number;
  readonly policy: RrasPolicy | null;
}

export interface RrasBgp {
  readonly identifier: string;
  /** The address Azure's local network gateway peers with (bgp.peerIp). */
  readonly localAddress: string;
  readonly localAsn: number;
  /** The site's real LAN ranges, originated toward Azure. */
  readonly advertise: string[];
  readonly peers: { readonly name: string; readonly gateway: string; readonly instance: 0 | 1; readonly peerIpParameter: string; readonly peerAsn: number; readonly weight: number }[];
}

export interface RrasCheck {
  readonly what: string;
  readonly interface: string | null;
  readonly peer: string | null;
}

export interface RrasScript {
  readonly site: string;
  readonly description: string | null;
  readonly directory: string;
  readonly windowsVersion: string;
  readonly serverAddress: string;
  readonly parameters: RrasParameter[];
  readonly connections: RrasConnection[];
  readonly tunnels: RrasTunnel[];
  readonly bgp: RrasBgp | null;
  /** Interfaces to connect, in order. */
  readonly interfaceNames: string[];
  /** The verification block: one check each, for an interface or a BGP peer. */
  readonly checks: RrasCheck[];
  /** IPv4 prefixes the route simulation expects the site to route toward Azure; the verification checks each, in a loop over the list. */
  readonly expectedRoutes: string[];
  /** Region for AWS Secrets Manager / SSM reads when the site runs in AWS. */
  readonly awsRegion: string | null;
}
