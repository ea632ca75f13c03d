/**
 * API versions: those whose official type data the project checks against
 * (../shared/azure-types: Microsoft.Network 2025-05-01).
 */
export const NETWORK_API = '2025-05-01';
