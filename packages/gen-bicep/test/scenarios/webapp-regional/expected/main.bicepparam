using './main.bicep'

// The subscription of the Key Vaults below: export AZURE_SUBSCRIPTION_ID="$(az account show --query id --output tsv)".
var keyVaultSubscription = readEnvironmentVariable('AZURE_SUBSCRIPTION_ID')

// Pre-shared key of connection webapp-to-branch. Export it before deploying; it never goes into a file.
param WebappToBranchSharedKey = readEnvironmentVariable('HYBRIDNET_WEBAPP_TO_BRANCH_SHARED_KEY')

// Public IP of the VPN device of branch-aws (for a site in AWS: its stack's ElasticIp output).
param BranchAwsPublicIp = readEnvironmentVariable('HYBRIDNET_BRANCH_AWS_PUBLIC_IP')

// Root password of firewall fw-webapp-regional. Read from Key Vault kv-webapp-regional when deploying; it never goes into a file.
param FwWebappRegionalAdminPassword = az.getSecret(keyVaultSubscription, 'rg-webapp-regional-network', 'kv-webapp-regional', 'fw-admin-password')

// Admin password of test VM vm-backend. Read from Key Vault kv-webapp-regional when deploying; it never goes into a file.
param VmBackendAdminPassword = az.getSecret(keyVaultSubscription, 'rg-webapp-regional-network', 'kv-webapp-regional', 'test-vm-password')
