// hybridnet: app resources of topology webapp-regional
targetScope = 'resourceGroup'

@description('Region of every resource.')
param location string = 'westeurope'

resource planAspWebappRegional 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: 'asp-webapp-regional'
  location: location
  kind: 'app'
  sku: {
    name: 'P0v3'
  }
  properties: {
    reserved: false
  }
}

resource siteAppWebappRegional 'Microsoft.Web/sites@2024-11-01' = {
  name: 'app-webapp-regional'
  location: location
  kind: 'app'
  properties: {
    serverFarmId: resourceId('Microsoft.Web/serverfarms', 'asp-webapp-regional')
    httpsOnly: true
    virtualNetworkSubnetId: resourceId('rg-webapp-regional-network', 'Microsoft.Network/virtualNetworks/subnets', 'vnet-webapp', 'appsvc-integration')
    outboundVnetRouting: {
      allTraffic: true
    }
    siteConfig: {
      vnetRouteAllEnabled: true
    }
  }
  dependsOn: [
    planAspWebappRegional
  ]
}
