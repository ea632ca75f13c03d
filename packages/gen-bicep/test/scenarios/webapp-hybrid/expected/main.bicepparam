using './main.bicep'

// The subscription of the Key Vaults below: export AZURE_SUBSCRIPTION_ID="$(az account show --query id --output tsv)".
var keyVaultSubscription = readEnvironmentVariable('AZURE_SUBSCRIPTION_ID')

// Pre-shared key of connection webapp-to-aws. Export it before deploying; it never goes into a file.
param WebappToAwsSharedKey = readEnvironmentVariable('HYBRIDNET_WEBAPP_TO_AWS_SHARED_KEY')

// Public IP of the VPN device of onprem-aws (for a site in AWS: its stack's ElasticIp output).
param OnpremAwsPublicIp = readEnvironmentVariable('HYBRIDNET_ONPREM_AWS_PUBLIC_IP')

// Pre-shared key of connection webapp-to-onprem-azure. Read from Key Vault kv-webapp-hybrid when deploying; it never goes into a file.
param WebappToOnpremAzureSharedKey = az.getSecret(keyVaultSubscription, 'rg-webapp-hybrid-network', 'kv-webapp-hybrid', 'onprem-azure-psk')

// Root password of firewall fw-webapp. Read from Key Vault kv-webapp-hybrid when deploying; it never goes into a file.
param FwWebappAdminPassword = az.getSecret(keyVaultSubscription, 'rg-webapp-hybrid-network', 'kv-webapp-hybrid', 'fw-admin-password')

// Admin password of test VM vm-backend. Read from Key Vault kv-webapp-hybrid when deploying; it never goes into a file.
param VmBackendAdminPassword = az.getSecret(keyVaultSubscription, 'rg-webapp-hybrid-network', 'kv-webapp-hybrid', 'test-vm-password')

// Admin password of test VM vm-onprem-azure. Read from Key Vault kv-webapp-hybrid when deploying; it never goes into a file.
param VmOnpremAzureAdminPassword = az.getSecret(keyVaultSubscription, 'rg-webapp-hybrid-network', 'kv-webapp-hybrid', 'test-vm-password')
