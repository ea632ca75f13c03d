// hybridnet: Azure side of topology webapp-regional
targetScope = 'resourceGroup'

@description('Region of every resource.')
param location string = 'westeurope'

@description('Pre-shared key of connection webapp-to-branch.')
@secure()
param WebappToBranchSharedKey string

@description('Public IP of the VPN device of branch-aws (for a site in AWS: its stack\'s ElasticIp output).')
param BranchAwsPublicIp string

@description('Root password of firewall fw-webapp-regional.')
@secure()
param FwWebappRegionalAdminPassword string

@description('Admin user name of firewall fw-webapp-regional (the appliance\'s own root account uses the password).')
param FwWebappRegionalAdminUsername string = 'azureuser'

@description('Admin password of test VM vm-backend.')
@secure()
param VmBackendAdminPassword string

@description('Admin user name of test VM vm-backend.')
param VmBackendAdminUsername string = 'netadmin'

resource rtRtExternalViaFirewall 'Microsoft.Network/routeTables@2025-05-01' = {
  name: 'rt-external-via-firewall'
  location: location
  properties: {
    disableBgpRoutePropagation: false
    routes: [
      {
        name: 'external-api-via-firewall'
        properties: {
          addressPrefix: '203.0.113.0/24'
          nextHopType: 'VirtualAppliance'
          nextHopIpAddress: '10.30.1.4'
        }
      }
    ]
  }
}

resource nsgNsgBackend 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: 'nsg-backend'
  location: location
  properties: {
    securityRules: [
      {
        name: 'allow-branch-ssh'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.40.0.0/16'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.30.3.0/24'
          destinationPortRange: '22'
        }
      }
      {
        name: 'deny-branch'
        properties: {
          priority: 4000
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '10.40.0.0/16'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.30.3.0/24'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource nsgNsgFwWebappRegional 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: 'nsg-fw-webapp-regional'
  location: location
  properties: {
    securityRules: [
      {
        name: 'allow-azure-to-partner-api'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.30.0.0/16'
          sourcePortRange: '*'
          destinationAddressPrefix: '203.0.113.0/24'
          destinationPortRange: '443'
        }
      }
    ]
  }
}

resource pipNatFirewallPip 'Microsoft.Network/publicIPAddresses@2025-05-01' = {
  name: 'nat-firewall-pip'
  location: location
  sku: {
    name: 'Standard'
    tier: 'Regional'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

resource natNatFirewall 'Microsoft.Network/natGateways@2025-05-01' = {
  name: 'nat-firewall'
  location: location
  sku: {
    name: 'Standard'
  }
  properties: {
    idleTimeoutInMinutes: 4
    publicIpAddresses: [
      {
        id: resourceId('Microsoft.Network/publicIPAddresses', 'nat-firewall-pip')
      }
    ]
  }
  dependsOn: [
    pipNatFirewallPip
  ]
}

resource vnetVnetWebapp 'Microsoft.Network/virtualNetworks@2025-05-01' = {
  name: 'vnet-webapp'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.30.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'firewall'
        properties: {
          addressPrefix: '10.30.1.0/24'
          natGateway: {
            id: resourceId('Microsoft.Network/natGateways', 'nat-firewall')
          }
        }
      }
      {
        name: 'appsvc-integration'
        properties: {
          addressPrefix: '10.30.2.0/26'
          routeTable: {
            id: resourceId('Microsoft.Network/routeTables', 'rt-external-via-firewall')
          }
          delegations: [
            {
              name: 'Microsoft.Web.serverFarms'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: 'backend'
        properties: {
          addressPrefix: '10.30.3.0/24'
          routeTable: {
            id: resourceId('Microsoft.Network/routeTables', 'rt-external-via-firewall')
          }
          networkSecurityGroup: {
            id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-backend')
          }
        }
      }
      {
        name: 'GatewaySubnet'
        properties: {
          addressPrefix: '10.30.255.0/27'
        }
      }
    ]
  }
  dependsOn: [
    rtRtExternalViaFirewall
    natNatFirewall
    nsgNsgBackend
  ]
}

resource pipVgwWebappRegionalPip1 'Microsoft.Network/publicIPAddresses@2025-05-01' = {
  name: 'vgw-webapp-regional-pip1'
  location: location
  sku: {
    name: 'Standard'
    tier: 'Regional'
  }
  zones: [
    '1'
    '2'
    '3'
  ]
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

resource vgwVgwWebappRegional 'Microsoft.Network/virtualNetworkGateways@2025-05-01' = {
  name: 'vgw-webapp-regional'
  location: location
  properties: {
    gatewayType: 'Vpn'
    vpnType: 'RouteBased'
    sku: {
      name: 'VpnGw2AZ'
      tier: 'VpnGw2AZ'
    }
    vpnGatewayGeneration: 'Generation2'
    activeActive: false
    enableBgp: false
    ipConfigurations: [
      {
        name: 'ipconfig1'
        properties: {
          privateIPAllocationMethod: 'Dynamic'
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-webapp', 'GatewaySubnet')
          }
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'vgw-webapp-regional-pip1')
          }
        }
      }
    ]
  }
  dependsOn: [
    vnetVnetWebapp
    pipVgwWebappRegionalPip1
  ]
}

resource lngWebappToBranch 'Microsoft.Network/localNetworkGateways@2025-05-01' = {
  name: 'lng-webapp-to-branch'
  location: location
  properties: {
    gatewayIpAddress: BranchAwsPublicIp
    localNetworkAddressSpace: {
      addressPrefixes: [
        '10.40.0.0/16'
      ]
    }
  }
}

resource connWebappToBranch 'Microsoft.Network/connections@2025-05-01' = {
  name: 'webapp-to-branch'
  location: location
  properties: {
    connectionType: 'IPsec'
    connectionProtocol: 'IKEv2'
    virtualNetworkGateway1: {
      id: resourceId('Microsoft.Network/virtualNetworkGateways', 'vgw-webapp-regional')
      properties: {}
    }
    localNetworkGateway2: {
      id: resourceId('Microsoft.Network/localNetworkGateways', 'lng-webapp-to-branch')
      properties: {}
    }
    sharedKey: WebappToBranchSharedKey
    enableBgp: false
  }
  dependsOn: [
    vgwVgwWebappRegional
    lngWebappToBranch
  ]
}

module firewallResources 'modules/firewall.bicep' = {
  name: 'webapp-regional-firewall'
  scope: resourceGroup('rg-webapp-regional-firewall')
  params: {
    location: location
    FwWebappRegionalAdminPassword: FwWebappRegionalAdminPassword
    FwWebappRegionalAdminUsername: FwWebappRegionalAdminUsername
  }
  dependsOn: [
    vnetVnetWebapp
    nsgNsgFwWebappRegional
  ]
}

module appResources 'modules/app.bicep' = {
  name: 'webapp-regional-app'
  scope: resourceGroup('rg-webapp-regional-app')
  params: {
    location: location
  }
  dependsOn: [
    vnetVnetWebapp
  ]
}

module testResources 'modules/test.bicep' = {
  name: 'webapp-regional-test'
  scope: resourceGroup('rg-webapp-regional-test')
  params: {
    location: location
    VmBackendAdminPassword: VmBackendAdminPassword
    VmBackendAdminUsername: VmBackendAdminUsername
  }
  dependsOn: [
    vnetVnetWebapp
  ]
}

@description('Public IP of instance 0 of vgw-webapp-regional.')
output VgwWebappRegionalInstance0PublicIp string = pipVgwWebappRegionalPip1.properties.ipAddress
