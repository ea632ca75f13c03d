/**
 * API versions: those whose official type data the project checks against
 * (../shared/azure-types: Microsoft.Network 2025-05-01, Microsoft.Web and Microsoft.Compute
 * 2024-11-01); nested deployments use Microsoft.Resources 2025-04-01.
 */
export const NETWORK_API = '2025-05-01';
export const WEB_API = '2024-11-01';
export const COMPUTE_API = '2024-11-01';
export const DEPLOYMENTS_API = '2025-04-01';
