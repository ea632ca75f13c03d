/**
 * Azure's clouds, the one place hybridnet keeps their hosts: where Resource Manager answers and
 * what token it takes, where sign-in happens, and the DNS suffixes the generated runbooks name (App
 * Service and its Kudu site, Key Vault, the portal). The model's `azure.cloud` picks a row; the
 * command line's `--cloud` and `--arm-endpoint` (Azure Stack Hub and other custom clouds) read it.
 *
 * Sources:
 * - Resource Manager endpoints and token audience `<endpoint>/.default`: Microsoft's own sample for
 *   sovereign clouds, MicrosoftDocs/python-sdk-docs-examples sovereign_domain/sovereign_cloud.py
 *   (`credential_scopes=[resource_manager + "/.default"]` with the cloud's authority); the Azure
 *   SDK for Rust's azure_core::resource_manager_endpoint constants.
 * - Sign-in hosts: @azure/identity's AzureAuthorityHosts (login.microsoftonline.com,
 *   login.microsoftonline.us, login.chinacloudapi.cn).
 * - Key Vault DNS suffixes and portals: `az cloud show` / Get-AzEnvironment (AzureKeyVaultDnsSuffix:
 *   vault.azure.net, vault.usgovcloudapi.net, vault.azure.cn); App Service suffixes: Microsoft Learn
 *   "Azure Government developer guide" (azurewebsites.us) and "Azure China developer guide"
 *   (chinacloudsites.cn).
 */
export const AZURE_CLOUDS = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'] as const;
export type AzureCloudName = (typeof AZURE_CLOUDS)[number];

export interface AzureCloudFacts {
  /** Azure Resource Manager. */
  readonly resourceManager: string;
  /** Where Microsoft Entra ID signs in (the credential's authority host). */
  readonly authorityHost: string;
  /** App Service apps: `<app>.<suffix>`, their Kudu site `<app>.scm.<suffix>`. */
  readonly appServiceSuffix: string;
  /** Key Vault: `<vault>.<suffix>`. */
  readonly keyVaultSuffix: string;
  readonly portal: string;
}

export const AZURE_CLOUD_TABLE: Readonly<Record<AzureCloudName, AzureCloudFacts>> = {
  AzureCloud: { resourceManager: 'https://management.azure.com', authorityHost: 'https://login.microsoftonline.com', appServiceSuffix: 'azurewebsites.net', keyVaultSuffix: 'vault.azure.net', portal: 'https://portal.azure.com' },
  AzureUSGovernment: { resourceManager: 'https://management.usgovcloudapi.net', authorityHost: 'https://login.microsoftonline.us', appServiceSuffix: 'azurewebsites.us', keyVaultSuffix: 'vault.usgovcloudapi.net', portal: 'https://portal.azure.us' },
  AzureChinaCloud: { resourceManager: 'https://management.chinacloudapi.cn', authorityHost: 'https://login.chinacloudapi.cn', appServiceSuffix: 'chinacloudsites.cn', keyVaultSuffix: 'vault.azure.cn', portal: 'https://portal.azure.cn' },
};
