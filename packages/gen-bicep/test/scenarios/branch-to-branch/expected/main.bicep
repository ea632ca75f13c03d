// hybridnet: Azure side of topology branch-to-branch
targetScope = 'resourceGroup'

@description('Region of every resource.')
param location string = 'westeurope'

@description('Authorization key of the ExpressRoute circuit of hub-to-branch-er.')
@secure()
param HubToBranchErAuthorizationKey string

@description('Pre-shared key of connection hub-to-branch-rras.')
@secure()
param HubToBranchRrasSharedKey string

@description('Admin password of test VM vm-spoke-app.')
@secure()
param VmSpokeAppAdminPassword string

@description('Admin user name of test VM vm-spoke-app.')
param VmSpokeAppAdminUsername string = 'netadmin'

resource vnetVnetHub 'Microsoft.Network/virtualNetworks@2025-05-01' = {
  name: 'vnet-hub'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.100.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'GatewaySubnet'
        properties: {
          addressPrefix: '10.100.0.0/26'
        }
      }
      {
        name: 'RouteServerSubnet'
        properties: {
          addressPrefix: '10.100.1.0/26'
        }
      }
      {
        name: 'shared-services'
        properties: {
          addressPrefix: '10.100.10.0/24'
        }
      }
    ]
  }
}

resource vnetVnetSpokeApp 'Microsoft.Network/virtualNetworks@2025-05-01' = {
  name: 'vnet-spoke-app'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.101.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: '10.101.1.0/24'
        }
      }
    ]
  }
}

resource pipVgwHubPip1 'Microsoft.Network/publicIPAddresses@2025-05-01' = {
  name: 'vgw-hub-pip1'
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

resource pipVgwHubPip2 'Microsoft.Network/publicIPAddresses@2025-05-01' = {
  name: 'vgw-hub-pip2'
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

resource vgwVgwHub 'Microsoft.Network/virtualNetworkGateways@2025-05-01' = {
  name: 'vgw-hub'
  location: location
  properties: {
    gatewayType: 'Vpn'
    vpnType: 'RouteBased'
    sku: {
      name: 'VpnGw2AZ'
      tier: 'VpnGw2AZ'
    }
    vpnGatewayGeneration: 'Generation2'
    activeActive: true
    enableBgp: true
    bgpSettings: {
      asn: 65515
    }
    ipConfigurations: [
      {
        name: 'ipconfig1'
        properties: {
          privateIPAllocationMethod: 'Dynamic'
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'GatewaySubnet')
          }
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'vgw-hub-pip1')
          }
        }
      }
      {
        name: 'ipconfig2'
        properties: {
          privateIPAllocationMethod: 'Dynamic'
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'GatewaySubnet')
          }
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'vgw-hub-pip2')
          }
        }
      }
    ]
  }
  dependsOn: [
    vnetVnetHub
    pipVgwHubPip1
    pipVgwHubPip2
  ]
}

resource pipErgwHubPip1 'Microsoft.Network/publicIPAddresses@2025-05-01' = {
  name: 'ergw-hub-pip1'
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

resource ergwErgwHub 'Microsoft.Network/virtualNetworkGateways@2025-05-01' = {
  name: 'ergw-hub'
  location: location
  properties: {
    gatewayType: 'ExpressRoute'
    sku: {
      name: 'ErGw1AZ'
      tier: 'ErGw1AZ'
    }
    ipConfigurations: [
      {
        name: 'ipconfig1'
        properties: {
          privateIPAllocationMethod: 'Dynamic'
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'GatewaySubnet')
          }
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'ergw-hub-pip1')
          }
        }
      }
    ]
  }
  dependsOn: [
    vnetVnetHub
    pipErgwHubPip1
    vgwVgwHub
  ]
}

resource pipRsHubPip1 'Microsoft.Network/publicIPAddresses@2025-05-01' = {
  name: 'rs-hub-pip1'
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

resource rsRsHub 'Microsoft.Network/virtualHubs@2025-05-01' = {
  name: 'rs-hub'
  location: location
  properties: {
    sku: 'Standard'
    allowBranchToBranchTraffic: true
    hubRoutingPreference: 'ExpressRoute'
  }
  dependsOn: [
    vnetVnetHub
    vgwVgwHub
    ergwErgwHub
  ]
}

resource rsIpconfigRsHub 'Microsoft.Network/virtualHubs/ipConfigurations@2025-05-01' = {
  parent: rsRsHub
  name: 'ipconfig1'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'RouteServerSubnet')
    }
    publicIPAddress: {
      id: resourceId('Microsoft.Network/publicIPAddresses', 'rs-hub-pip1')
    }
  }
  dependsOn: [
    pipRsHubPip1
  ]
}

resource peeringVnetHubHubSpokeApp 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2025-05-01' = {
  parent: vnetVnetHub
  name: 'hub-spoke-app'
  properties: {
    remoteVirtualNetwork: {
      id: resourceId('Microsoft.Network/virtualNetworks', 'vnet-spoke-app')
    }
    allowVirtualNetworkAccess: true
    allowForwardedTraffic: true
    allowGatewayTransit: true
    useRemoteGateways: false
  }
  dependsOn: [
    vnetVnetSpokeApp
    vgwVgwHub
    ergwErgwHub
    rsIpconfigRsHub
  ]
}

resource peeringVnetSpokeAppHubSpokeApp 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2025-05-01' = {
  parent: vnetVnetSpokeApp
  name: 'hub-spoke-app'
  properties: {
    remoteVirtualNetwork: {
      id: resourceId('Microsoft.Network/virtualNetworks', 'vnet-hub')
    }
    allowVirtualNetworkAccess: true
    allowForwardedTraffic: true
    allowGatewayTransit: false
    useRemoteGateways: true
  }
  dependsOn: [
    vnetVnetHub
    vgwVgwHub
    ergwErgwHub
    rsIpconfigRsHub
  ]
}

resource connHubToBranchEr 'Microsoft.Network/connections@2025-05-01' = {
  name: 'hub-to-branch-er'
  location: location
  properties: {
    connectionType: 'ExpressRoute'
    virtualNetworkGateway1: {
      id: resourceId('Microsoft.Network/virtualNetworkGateways', 'ergw-hub')
      properties: {}
    }
    peer: {
      id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-connectivity/providers/Microsoft.Network/expressRouteCircuits/erc-branch'
    }
    routingWeight: 0
    authorizationKey: HubToBranchErAuthorizationKey
  }
  dependsOn: [
    ergwErgwHub
    rsIpconfigRsHub
  ]
}

resource lngHubToBranchRras 'Microsoft.Network/localNetworkGateways@2025-05-01' = {
  name: 'lng-hub-to-branch-rras'
  location: location
  properties: {
    gatewayIpAddress: '203.0.113.60'
    localNetworkAddressSpace: {
      addressPrefixes: []
    }
    bgpSettings: {
      asn: 65060
      bgpPeeringAddress: '10.60.0.4'
    }
  }
}

resource connHubToBranchRras 'Microsoft.Network/connections@2025-05-01' = {
  name: 'hub-to-branch-rras'
  location: location
  properties: {
    connectionType: 'IPsec'
    connectionProtocol: 'IKEv2'
    virtualNetworkGateway1: {
      id: resourceId('Microsoft.Network/virtualNetworkGateways', 'vgw-hub')
      properties: {}
    }
    localNetworkGateway2: {
      id: resourceId('Microsoft.Network/localNetworkGateways', 'lng-hub-to-branch-rras')
      properties: {}
    }
    sharedKey: HubToBranchRrasSharedKey
    enableBgp: true
  }
  dependsOn: [
    vgwVgwHub
    lngHubToBranchRras
    rsIpconfigRsHub
  ]
}

module testResources 'modules/test.bicep' = {
  name: 'branch-to-branch-test'
  scope: resourceGroup('rg-b2b-test')
  params: {
    location: location
    VmSpokeAppAdminPassword: VmSpokeAppAdminPassword
    VmSpokeAppAdminUsername: VmSpokeAppAdminUsername
  }
  dependsOn: [
    vnetVnetSpokeApp
  ]
}

@description('Public IP of instance 0 of vgw-hub.')
output VgwHubInstance0PublicIp string = pipVgwHubPip1.properties.ipAddress

@description('BGP address of instance 0 (ipconfig1) of vgw-hub.')
output VgwHubInstance0BgpIp string = filter(vgwVgwHub.properties.bgpSettings.bgpPeeringAddresses, x => endsWith(x.ipconfigurationId, '/ipconfig1'))[0].defaultBgpIpAddresses[0]

@description('Public IP of instance 1 of vgw-hub.')
output VgwHubInstance1PublicIp string = pipVgwHubPip2.properties.ipAddress

@description('BGP address of instance 1 (ipconfig2) of vgw-hub.')
output VgwHubInstance1BgpIp string = filter(vgwVgwHub.properties.bgpSettings.bgpPeeringAddresses, x => endsWith(x.ipconfigurationId, '/ipconfig2'))[0].defaultBgpIpAddresses[0]
