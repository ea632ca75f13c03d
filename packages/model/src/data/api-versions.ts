/**
 * Azure Resource Manager API versions, the one place hybridnet keeps them: the templates emit them,
 * the runbooks' `az rest` calls and `deploy`'s SDK clients use them. Those whose official type data
 * the project checks against
 * (../shared/azure-types: Microsoft.Network 2025-05-01, Microsoft.Web and Microsoft.Compute
 * 2024-11-01); nested deployments use Microsoft.Resources 2025-04-01.
 */
export const NETWORK_API = '2025-05-01';
export const WEB_API = '2024-11-01';
export const COMPUTE_API = '2024-11-01';
export const DEPLOYMENTS_API = '2025-04-01';
