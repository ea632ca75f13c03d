// hybridnet: firewall resources of topology webapp-regional
targetScope = 'resourceGroup'

@description('Region of every resource.')
param location string = 'westeurope'

@description('Root password of firewall fw-webapp-regional.')
@secure()
param FwWebappRegionalAdminPassword string

@description('Admin user name of firewall fw-webapp-regional (the appliance\'s own root account uses the password).')
param FwWebappRegionalAdminUsername string

resource nicFwWebappRegionalNic 'Microsoft.Network/networkInterfaces@2025-05-01' = {
  name: 'fw-webapp-regional-nic'
  location: location
  properties: {
    enableIPForwarding: true
    networkSecurityGroup: {
      id: resourceId('rg-webapp-regional-network', 'Microsoft.Network/networkSecurityGroups', 'nsg-fw-webapp-regional')
    }
    ipConfigurations: [
      {
        name: 'ipconfig1'
        properties: {
          privateIPAllocationMethod: 'Static'
          privateIPAddress: '10.30.1.4'
          subnet: {
            id: resourceId('rg-webapp-regional-network', 'Microsoft.Network/virtualNetworks/subnets', 'vnet-webapp', 'firewall')
          }
        }
      }
    ]
  }
}

resource vmFwWebappRegional 'Microsoft.Compute/virtualMachines@2024-11-01' = {
  name: 'fw-webapp-regional'
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
      computerName: 'fw-webapp-regional'
      adminUsername: FwWebappRegionalAdminUsername
      adminPassword: FwWebappRegionalAdminPassword
      customData: 'IyEvYmluL2Jhc2gKCi9vcGIvY2xvdWQtc2V0bWlwIDEwLjMwLjEuNCAyNCAxMC4zMC4xLjEKL29wYi9jbG91ZC1lbmFibGUtcmVzdAo='
    }
    networkProfile: {
      networkInterfaces: [
        {
          id: resourceId('Microsoft.Network/networkInterfaces', 'fw-webapp-regional-nic')
          properties: {
            primary: true
          }
        }
      ]
    }
  }
  dependsOn: [
    nicFwWebappRegionalNic
  ]
}
