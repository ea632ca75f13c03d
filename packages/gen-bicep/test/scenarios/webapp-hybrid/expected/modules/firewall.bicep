// hybridnet: firewall resources of topology webapp-hybrid
targetScope = 'resourceGroup'

@description('Region of every resource.')
param location string = 'westeurope'

@description('Root password of firewall fw-webapp.')
@secure()
param FwWebappAdminPassword string

@description('Admin user name of firewall fw-webapp (the appliance\'s own root account uses the password).')
param FwWebappAdminUsername string

resource pipFwWebappPip 'Microsoft.Network/publicIPAddresses@2025-05-01' = {
  name: 'fw-webapp-pip'
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

resource nicFwWebappNic 'Microsoft.Network/networkInterfaces@2025-05-01' = {
  name: 'fw-webapp-nic'
  location: location
  properties: {
    enableIPForwarding: true
    networkSecurityGroup: {
      id: resourceId('rg-webapp-hybrid-network', 'Microsoft.Network/networkSecurityGroups', 'nsg-fw-webapp')
    }
    ipConfigurations: [
      {
        name: 'ipconfig1'
        properties: {
          privateIPAllocationMethod: 'Static'
          privateIPAddress: '10.10.1.4'
          subnet: {
            id: resourceId('rg-webapp-hybrid-network', 'Microsoft.Network/virtualNetworks/subnets', 'vnet-webapp', 'frontend')
          }
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'fw-webapp-pip')
          }
        }
      }
    ]
  }
  dependsOn: [
    pipFwWebappPip
  ]
}

resource vmFwWebapp 'Microsoft.Compute/virtualMachines@2024-11-01' = {
  name: 'fw-webapp'
  location: location
  plan: {
    name: 'cgf-hourly'
    product: 'barracuda-ng-firewall'
    publisher: 'barracudanetworks'
  }
  properties: {
    hardwareProfile: {
      vmSize: 'Standard_D2ds_v5'
    }
    storageProfile: {
      imageReference: {
        publisher: 'barracudanetworks'
        offer: 'barracuda-ng-firewall'
        sku: 'cgf-hourly'
        version: 'latest'
      }
      osDisk: {
        createOption: 'FromImage'
        managedDisk: {
          storageAccountType: 'Standard_LRS'
        }
      }
    }
    osProfile: {
      computerName: 'fw-webapp'
      adminUsername: FwWebappAdminUsername
      adminPassword: FwWebappAdminPassword
      customData: 'IyEvYmluL2Jhc2gKCi9vcGIvY2xvdWQtc2V0bWlwIDEwLjEwLjEuNCAyNCAxMC4xMC4xLjEKL29wYi9jbG91ZC1lbmFibGUtcmVzdAo='
    }
    networkProfile: {
      networkInterfaces: [
        {
          id: resourceId('Microsoft.Network/networkInterfaces', 'fw-webapp-nic')
          properties: {
            primary: true
          }
        }
      ]
    }
  }
  dependsOn: [
    nicFwWebappNic
  ]
}
