using './main.bicep'

// The subscription of the Key Vaults below: export AZURE_SUBSCRIPTION_ID="$(az account show --query id --output tsv)".
var keyVaultSubscription = readEnvironmentVariable('AZURE_SUBSCRIPTION_ID')

// Authorization key of the ExpressRoute circuit of hub-to-branch-er. Read from Key Vault kv-b2b-hub when deploying; it never goes into a file.
param HubToBranchErAuthorizationKey = az.getSecret(keyVaultSubscription, 'rg-b2b-network', 'kv-b2b-hub', 'er-authorization-key')

// Pre-shared key of connection hub-to-branch-rras. Export it before deploying; it never goes into a file.
param HubToBranchRrasSharedKey = readEnvironmentVariable('HUB_BRANCH_RRAS_PSK')

// Admin password of test VM vm-spoke-app. Export it before deploying; it never goes into a file.
param VmSpokeAppAdminPassword = readEnvironmentVariable('TEST_VM_PASSWORD')
