// hybridnet: test resources of topology webapp-regional
targetScope = 'resourceGroup'

@description('Region of every resource.')
param location string = 'westeurope'

@description('Admin password of test VM vm-backend.')
@secure()
param VmBackendAdminPassword string

@description('Admin user name of test VM vm-backend.')
param VmBackendAdminUsername string

resource nicVmBackendNic 'Microsoft.Network/networkInterfaces@2025-05-01' = {
  name: 'vm-backend-nic'
  location: location
  properties: {
    ipConfigurations: [
      {
        name: 'ipconfig1'
        properties: {
          privateIPAllocationMethod: 'Static'
          privateIPAddress: '10.30.3.10'
          subnet: {
            id: resourceId('rg-webapp-regional-network', 'Microsoft.Network/virtualNetworks/subnets', 'vnet-webapp', 'backend')
          }
        }
      }
    ]
  }
}

resource vmVmBackend 'Microsoft.Compute/virtualMachines@2024-11-01' = {
  name: 'vm-backend'
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
      computerName: 'vm-backend'
      adminUsername: VmBackendAdminUsername
      adminPassword: VmBackendAdminPassword
    }
    networkProfile: {
      networkInterfaces: [
        {
          id: resourceId('Microsoft.Network/networkInterfaces', 'vm-backend-nic')
          properties: {
            primary: true
          }
        }
      ]
    }
  }
  dependsOn: [
    nicVmBackendNic
  ]
}
