// hybridnet: Azure side of topology webapp-hybrid
targetScope = 'resourceGroup'

@description('Region of every resource.')
param location string = 'westeurope'

@description('Pre-shared key of connection webapp-to-aws.')
@secure()
param WebappToAwsSharedKey string

@description('Public IP of the VPN device of onprem-aws (for a site in AWS: its stack\'s ElasticIp output).')
param OnpremAwsPublicIp string

@description('Pre-shared key of connection webapp-to-onprem-azure.')
@secure()
param WebappToOnpremAzureSharedKey string

@description('Root password of firewall fw-webapp.')
@secure()
param FwWebappAdminPassword string

@description('Admin user name of firewall fw-webapp (the appliance\'s own root account uses the password).')
param FwWebappAdminUsername string = 'azureuser'

@description('Admin password of test VM vm-backend.')
@secure()
param VmBackendAdminPassword string

@description('Admin user name of test VM vm-backend.')
param VmBackendAdminUsername string = 'netadmin'

@description('Admin password of test VM vm-onprem-azure.')
@secure()
param VmOnpremAzureAdminPassword string

@description('Admin user name of test VM vm-onprem-azure.')
param VmOnpremAzureAdminUsername string = 'netadmin'

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
          nextHopIpAddress: '10.10.1.4'
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
        name: 'allow-sites-https'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefixes: [
            '10.20.0.0/16'
            '192.168.0.0/16'
          ]
          sourcePortRange: '*'
          destinationAddressPrefix: '10.10.2.0/24'
          destinationPortRange: '443'
        }
      }
      {
        name: 'deny-sites'
        properties: {
          priority: 4000
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefixes: [
            '10.20.0.0/16'
            '192.168.0.0/16'
          ]
          sourcePortRange: '*'
          destinationAddressPrefix: '10.10.2.0/24'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource nsgNsgFwWebapp 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: 'nsg-fw-webapp'
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
          sourceAddressPrefixes: [
            '10.10.0.0/16'
            '172.16.201.0/24'
          ]
          sourcePortRange: '*'
          destinationAddressPrefix: '203.0.113.0/24'
          destinationPortRange: '443'
        }
      }
    ]
  }
}

resource vnetVnetWebapp 'Microsoft.Network/virtualNetworks@2025-05-01' = {
  name: 'vnet-webapp'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.10.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'frontend'
        properties: {
          addressPrefix: '10.10.1.0/24'
        }
      }
      {
        name: 'backend'
        properties: {
          addressPrefix: '10.10.2.0/24'
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
          addressPrefix: '10.10.255.0/27'
          routeTable: {
            id: resourceId('Microsoft.Network/routeTables', 'rt-external-via-firewall')
          }
        }
      }
    ]
  }
  dependsOn: [
    rtRtExternalViaFirewall
    nsgNsgBackend
  ]
}

resource vnetVnetOnpremSim 'Microsoft.Network/virtualNetworks@2025-05-01' = {
  name: 'vnet-onprem-sim'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        '192.168.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'workload'
        properties: {
          addressPrefix: '192.168.1.0/24'
        }
      }
      {
        name: 'GatewaySubnet'
        properties: {
          addressPrefix: '192.168.255.0/27'
        }
      }
    ]
  }
}

resource pipVgwWebappPip1 'Microsoft.Network/publicIPAddresses@2025-05-01' = {
  name: 'vgw-webapp-pip1'
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

resource vgwVgwWebapp 'Microsoft.Network/virtualNetworkGateways@2025-05-01' = {
  name: 'vgw-webapp'
  location: location
  properties: {
    gatewayType: 'Vpn'
    vpnType: 'RouteBased'
    sku: {
      name: 'VpnGw1AZ'
      tier: 'VpnGw1AZ'
    }
    vpnGatewayGeneration: 'Generation1'
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
            id: resourceId('Microsoft.Network/publicIPAddresses', 'vgw-webapp-pip1')
          }
        }
      }
    ]
    vpnClientConfiguration: {
      vpnClientAddressPool: {
        addressPrefixes: [
          '172.16.201.0/24'
        ]
      }
      vpnClientProtocols: [
        'SSTP'
      ]
      vpnAuthenticationTypes: [
        'Certificate'
      ]
      vpnClientRootCertificates: [
        {
          name: 'appservice-app-webapp-hybrid'
          properties: {
            publicCertData: appResources.outputs.AppWebappHybridCertBlob
          }
        }
      ]
    }
  }
  dependsOn: [
    vnetVnetWebapp
    pipVgwWebappPip1
  ]
}

resource pipVgwOnpremSimPip1 'Microsoft.Network/publicIPAddresses@2025-05-01' = {
  name: 'vgw-onprem-sim-pip1'
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

resource vgwVgwOnpremSim 'Microsoft.Network/virtualNetworkGateways@2025-05-01' = {
  name: 'vgw-onprem-sim'
  location: location
  properties: {
    gatewayType: 'Vpn'
    vpnType: 'RouteBased'
    sku: {
      name: 'VpnGw1AZ'
      tier: 'VpnGw1AZ'
    }
    vpnGatewayGeneration: 'Generation1'
    activeActive: false
    enableBgp: false
    ipConfigurations: [
      {
        name: 'ipconfig1'
        properties: {
          privateIPAllocationMethod: 'Dynamic'
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-onprem-sim', 'GatewaySubnet')
          }
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'vgw-onprem-sim-pip1')
          }
        }
      }
    ]
  }
  dependsOn: [
    vnetVnetOnpremSim
    pipVgwOnpremSimPip1
  ]
}

resource lngWebappToAws 'Microsoft.Network/localNetworkGateways@2025-05-01' = {
  name: 'lng-webapp-to-aws'
  location: location
  properties: {
    gatewayIpAddress: OnpremAwsPublicIp
    localNetworkAddressSpace: {
      addressPrefixes: [
        '10.20.0.0/16'
      ]
    }
  }
}

resource connWebappToAws 'Microsoft.Network/connections@2025-05-01' = {
  name: 'webapp-to-aws'
  location: location
  properties: {
    connectionType: 'IPsec'
    connectionProtocol: 'IKEv2'
    virtualNetworkGateway1: {
      id: resourceId('Microsoft.Network/virtualNetworkGateways', 'vgw-webapp')
      properties: {}
    }
    localNetworkGateway2: {
      id: resourceId('Microsoft.Network/localNetworkGateways', 'lng-webapp-to-aws')
      properties: {}
    }
    sharedKey: WebappToAwsSharedKey
    enableBgp: false
    ipsecPolicies: [
      {
        saLifeTimeSeconds: 27000
        saDataSizeKilobytes: 102400000
        ipsecEncryption: 'AES256'
        ipsecIntegrity: 'SHA256'
        ikeEncryption: 'AES256'
        ikeIntegrity: 'SHA256'
        dhGroup: 'DHGroup14'
        pfsGroup: 'PFS2048'
      }
    ]
  }
  dependsOn: [
    vgwVgwWebapp
    lngWebappToAws
  ]
}

resource lngWebappToOnpremAzureReverse 'Microsoft.Network/localNetworkGateways@2025-05-01' = {
  name: 'lng-webapp-to-onprem-azure-reverse'
  location: location
  properties: {
    gatewayIpAddress: pipVgwWebappPip1.properties.ipAddress
    localNetworkAddressSpace: {
      addressPrefixes: [
        '10.10.0.0/16'
        '172.16.201.0/24'
      ]
    }
  }
}

resource connWebappToOnpremAzureReverse 'Microsoft.Network/connections@2025-05-01' = {
  name: 'webapp-to-onprem-azure-reverse'
  location: location
  properties: {
    connectionType: 'IPsec'
    connectionProtocol: 'IKEv2'
    virtualNetworkGateway1: {
      id: resourceId('Microsoft.Network/virtualNetworkGateways', 'vgw-onprem-sim')
      properties: {}
    }
    localNetworkGateway2: {
      id: resourceId('Microsoft.Network/localNetworkGateways', 'lng-webapp-to-onprem-azure-reverse')
      properties: {}
    }
    sharedKey: WebappToOnpremAzureSharedKey
  }
  dependsOn: [
    vgwVgwOnpremSim
    lngWebappToOnpremAzureReverse
  ]
}

resource lngWebappToOnpremAzure 'Microsoft.Network/localNetworkGateways@2025-05-01' = {
  name: 'lng-webapp-to-onprem-azure'
  location: location
  properties: {
    gatewayIpAddress: pipVgwOnpremSimPip1.properties.ipAddress
    localNetworkAddressSpace: {
      addressPrefixes: [
        '192.168.0.0/16'
      ]
    }
  }
}

resource connWebappToOnpremAzure 'Microsoft.Network/connections@2025-05-01' = {
  name: 'webapp-to-onprem-azure'
  location: location
  properties: {
    connectionType: 'IPsec'
    connectionProtocol: 'IKEv2'
    virtualNetworkGateway1: {
      id: resourceId('Microsoft.Network/virtualNetworkGateways', 'vgw-webapp')
      properties: {}
    }
    localNetworkGateway2: {
      id: resourceId('Microsoft.Network/localNetworkGateways', 'lng-webapp-to-onprem-azure')
      properties: {}
    }
    sharedKey: WebappToOnpremAzureSharedKey
    enableBgp: false
  }
  dependsOn: [
    vgwVgwWebapp
    lngWebappToOnpremAzure
  ]
}

module firewallResources 'modules/firewall.bicep' = {
  name: 'webapp-hybrid-firewall'
  scope: resourceGroup('rg-webapp-hybrid-firewall')
  params: {
    location: location
    FwWebappAdminPassword: FwWebappAdminPassword
    FwWebappAdminUsername: FwWebappAdminUsername
  }
  dependsOn: [
    vnetVnetWebapp
    nsgNsgFwWebapp
  ]
}

module appResources 'modules/app.bicep' = {
  name: 'webapp-hybrid-app'
  scope: resourceGroup('rg-webapp-hybrid-app')
  params: {
    location: location
  }
  dependsOn: [
    vnetVnetWebapp
  ]
}

module testResources 'modules/test.bicep' = {
  name: 'webapp-hybrid-test'
  scope: resourceGroup('rg-webapp-hybrid-test')
  params: {
    location: location
    VmBackendAdminPassword: VmBackendAdminPassword
    VmBackendAdminUsername: VmBackendAdminUsername
    VmOnpremAzureAdminPassword: VmOnpremAzureAdminPassword
    VmOnpremAzureAdminUsername: VmOnpremAzureAdminUsername
  }
  dependsOn: [
    vnetVnetWebapp
    vnetVnetOnpremSim
  ]
}

@description('Public IP of instance 0 of vgw-webapp.')
output VgwWebappInstance0PublicIp string = pipVgwWebappPip1.properties.ipAddress

@description('Public IP of instance 0 of vgw-onprem-sim.')
output VgwOnpremSimInstance0PublicIp string = pipVgwOnpremSimPip1.properties.ipAddress
