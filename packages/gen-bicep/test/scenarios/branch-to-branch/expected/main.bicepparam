using './main.bicep'

// Authorization key of the ExpressRoute circuit of hub-to-branch-er. Export it before deploying; it never goes into a file.
param HubToBranchErAuthorizationKey = readEnvironmentVariable('HYBRIDNET_HUB_TO_BRANCH_ER_AUTHORIZATION_KEY')

// Pre-shared key of connection hub-to-branch-rras. Export it before deploying; it never goes into a file.
param HubToBranchRrasSharedKey = readEnvironmentVariable('HUB_BRANCH_RRAS_PSK')

// Admin password of test VM vm-spoke-app. Export it before deploying; it never goes into a file.
param VmSpokeAppAdminPassword = readEnvironmentVariable('TEST_VM_PASSWORD')
