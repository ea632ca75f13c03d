using './main.bicep'

// Pre-shared key of connection webapp-to-branch. Export it before deploying; it never goes into a file.
param WebappToBranchSharedKey = readEnvironmentVariable('HYBRIDNET_WEBAPP_TO_BRANCH_SHARED_KEY')

// Public IP of the VPN device of branch-aws (for a site in AWS: its stack's ElasticIp output).
param BranchAwsPublicIp = readEnvironmentVariable('HYBRIDNET_BRANCH_AWS_PUBLIC_IP')

// Root password of firewall fw-webapp-regional. Export it before deploying; it never goes into a file.
param FwWebappRegionalAdminPassword = readEnvironmentVariable('HYBRIDNET_FW_WEBAPP_REGIONAL_ADMIN_PASSWORD')

// Admin password of test VM vm-backend. Export it before deploying; it never goes into a file.
param VmBackendAdminPassword = readEnvironmentVariable('HYBRIDNET_VM_BACKEND_ADMIN_PASSWORD')
