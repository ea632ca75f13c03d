using './main.bicep'

// Pre-shared key of connection webapp-to-aws. Export it before deploying; it never goes into a file.
param WebappToAwsSharedKey = readEnvironmentVariable('HYBRIDNET_WEBAPP_TO_AWS_SHARED_KEY')

// Public IP of the VPN device of onprem-aws (for a site in AWS: its stack's ElasticIp output).
param OnpremAwsPublicIp = readEnvironmentVariable('HYBRIDNET_ONPREM_AWS_PUBLIC_IP')

// Pre-shared key of connection webapp-to-onprem-azure. Export it before deploying; it never goes into a file.
param WebappToOnpremAzureSharedKey = readEnvironmentVariable('HYBRIDNET_WEBAPP_TO_ONPREM_AZURE_SHARED_KEY')
