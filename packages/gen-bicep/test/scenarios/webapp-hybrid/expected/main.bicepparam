using './main.bicep'

// Pre-shared key of connection webapp-to-aws. Export it before deploying; it never goes into a file.
param WebappToAwsSharedKey = readEnvironmentVariable('HYBRIDNET_WEBAPP_TO_AWS_SHARED_KEY')

// Public IP of the VPN device of onprem-aws (for a site in AWS: its stack's ElasticIp output).
param OnpremAwsPublicIp = readEnvironmentVariable('HYBRIDNET_ONPREM_AWS_PUBLIC_IP')

// Pre-shared key of connection webapp-to-onprem-azure. Export it before deploying; it never goes into a file.
param WebappToOnpremAzureSharedKey = readEnvironmentVariable('HYBRIDNET_WEBAPP_TO_ONPREM_AZURE_SHARED_KEY')

// Root password of firewall fw-webapp. Export it before deploying; it never goes into a file.
param FwWebappAdminPassword = readEnvironmentVariable('HYBRIDNET_FW_WEBAPP_ADMIN_PASSWORD')

// Admin password of test VM vm-backend. Export it before deploying; it never goes into a file.
param VmBackendAdminPassword = readEnvironmentVariable('HYBRIDNET_VM_BACKEND_ADMIN_PASSWORD')

// Admin password of test VM vm-onprem-azure. Export it before deploying; it never goes into a file.
param VmOnpremAzureAdminPassword = readEnvironmentVariable('HYBRIDNET_VM_ONPREM_AZURE_ADMIN_PASSWORD')
