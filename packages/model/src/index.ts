/**
 * @hybridnet/model: the typed description of a hybrid network.
 *
 * The zod schema (and the TypeScript types inferred from it), strict CIDR parsing, the loader
 * that maps every problem to `file:line:column`, name linking, the diagnostic type shared by all
 * packages, and the generator contract.
 */
export * from './schema/primitives.ts';
export * from './schema/azure.ts';
export * from './schema/onprem.ts';
export * from './schema/intents.ts';
export { Topology, SimulationSettings, RuleLevel, RuleLevels } from './schema/topology.ts';
export * from './cidr.ts';
export { VPN_GATEWAY_SKU_TABLE, gatewayGeneration, allowedGatewayPairs, type VpnGatewaySku, type VpnGatewaySkuFacts, type GatewayGeneration } from './data/vpn-gateway-skus.ts';
export { AZURE_CLOUDS, AZURE_CLOUD_TABLE, type AzureCloudName, type AzureCloudFacts } from './data/azure-clouds.ts';
export { NETWORK_API, WEB_API, COMPUTE_API, DEPLOYMENTS_API } from './data/api-versions.ts';
export { AZURE_NONE_ROUTES, noneRoutes, type ReservedRoute } from './data/azure-system-routes.ts';
export { FIREWALL_SERVICES, LISTENER_PORTS, serviceTcpPort, type ServicePort } from './data/firewall-services.ts';
export { NSG_DEFAULT_RULES, NSG_SERVICE_TAGS, NSG_PRIORITY, AZURE_LOAD_BALANCER_PREFIX, type DefaultSecurityRule, type NsgServiceTag } from './data/nsg.ts';
export * from './diagnostics.ts';
export { NON_PUBLIC_RANGES, RFC1918_RANGES } from './data/address-ranges.ts';
export { MODEL_CODES, type ModelCode } from './codes.ts';
export { parseTopology, parseTopologyBytes, MAX_TOPOLOGY_BYTES, type LoadResult, type Position } from './load.ts';
export { endpointPrefixes, resolveIntentEndpoint, type IntentTarget, type IntentTargetResult } from './intent-endpoints.ts';
export { linkTopology, FIREWALL_BUILTIN_OBJECTS, type TopologyIndex, type Entry, type GatewayEntry } from './link.ts';
export { topologyJsonSchema } from './json-schema.ts';
export { formatTopology } from './format.ts';
export type { GeneratedFile, GenerateResult, Generator, GenerateContext, ContextRouteSet, ContextIntent } from './generator.ts';
export { connectionTunnels, siteAddressSpace, azureAddressSpace, awsAzurePrefixes, awsTestEndpointIngress, vnetsBehindGateway, resourceGroup, pascalName, gatewayInstanceParameter, connectionKeyParameter, addressGroupPrefixes, rrasInterfaceName, adminPasswordParameter, deploymentEnvironmentVariable, secretEnvironmentVariable, firewallEntryCovers, firewallRuleConnection, firewallRulePublicDestinations, firewallProbePort, probePort, FIREWALL_BUILTIN_RANGES, KEY_VAULT_SUBSCRIPTION_VARIABLE, withUniqueSuffix, type ResourceRole } from './resolve.ts';
