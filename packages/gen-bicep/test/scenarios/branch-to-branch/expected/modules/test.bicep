// hybridnet: test resources of topology branch-to-branch
targetScope = 'resourceGroup'

@description('Region of every resource.')
param location string = 'westeurope'

@description('Admin password of test VM vm-spoke-app.')
@secure()
param VmSpokeAppAdminPassword string

@description('Admin user name of test VM vm-spoke-app.')
param VmSpokeAppAdminUsername string

resource nicVmSpokeAppNic 'Microsoft.Network/networkInterfaces@2025-05-01' = {
  name: 'vm-spoke-app-nic'
  location: location
  properties: {
    ipConfigurations: [
      {
        name: 'ipconfig1'
        properties: {
          privateIPAllocationMethod: 'Static'
          privateIPAddress: '10.101.1.10'
          subnet: {
            id: resourceId('rg-b2b-network', 'Microsoft.Network/virtualNetworks/subnets', 'vnet-spoke-app', 'app')
          }
        }
      }
    ]
  }
}

resource vmVmSpokeApp 'Microsoft.Compute/virtualMachines@2024-11-01' = {
  name: 'vm-spoke-app'
  location: location
  properties: {
    hardwareProfile: {
      vmSize: 'Standard_B1s'
    }
    storageProfile: {
      imageReference: {
        publisher: 'Canonical'
        offer: 'ubuntu-24_04-lts'
        sku: 'server'
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
      computerName: 'vm-spoke-app'
      adminUsername: VmSpokeAppAdminUsername
      adminPassword: VmSpokeAppAdminPassword
    }
    networkProfile: {
      networkInterfaces: [
        {
          id: resourceId('Microsoft.Network/networkInterfaces', 'vm-spoke-app-nic')
          properties: {
            primary: true
          }
        }
      ]
    }
  }
  dependsOn: [
    nicVmSpokeAppNic
  ]
}
