// hybridnet: app resources of topology webapp-hybrid
targetScope = 'resourceGroup'

@description('Region of every resource.')
param location string = 'westeurope'

resource planAspWebappHybrid 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: 'asp-webapp-hybrid'
  location: location
  kind: 'app'
  sku: {
    name: 'S1'
  }
  properties: {
    reserved: false
  }
}

resource siteAppWebappHybrid 'Microsoft.Web/sites@2024-11-01' = {
  name: 'app-webapp-hybrid'
  location: location
  kind: 'app'
  properties: {
    serverFarmId: resourceId('Microsoft.Web/serverfarms', 'asp-webapp-hybrid')
    httpsOnly: true
  }
  dependsOn: [
    planAspWebappHybrid
  ]
}

resource vnetConnectionAppWebappHybrid 'Microsoft.Web/sites/virtualNetworkConnections@2024-11-01' = {
  parent: siteAppWebappHybrid
  name: 'vnet-webapp'
  properties: {
    vnetResourceId: resourceId('rg-webapp-hybrid-network', 'Microsoft.Network/virtualNetworks', 'vnet-webapp')
    isSwift: false
  }
}

resource planRouteAspWebappHybrid10200016 'Microsoft.Web/serverfarms/virtualNetworkConnections/routes@2024-11-01' = {
  name: 'asp-webapp-hybrid/vnet-webapp/10-20-0-0-16'
  properties: {
    startAddress: '10.20.0.0'
    endAddress: '10.20.255.255'
    routeType: 'STATIC'
  }
  dependsOn: [
    vnetConnectionAppWebappHybrid
  ]
}

resource planRouteAspWebappHybrid1921680016 'Microsoft.Web/serverfarms/virtualNetworkConnections/routes@2024-11-01' = {
  name: 'asp-webapp-hybrid/vnet-webapp/192-168-0-0-16'
  properties: {
    startAddress: '192.168.0.0'
    endAddress: '192.168.255.255'
    routeType: 'STATIC'
  }
  dependsOn: [
    vnetConnectionAppWebappHybrid
  ]
}

resource planRouteAspWebappHybrid2030113024 'Microsoft.Web/serverfarms/virtualNetworkConnections/routes@2024-11-01' = {
  name: 'asp-webapp-hybrid/vnet-webapp/203-0-113-0-24'
  properties: {
    startAddress: '203.0.113.0'
    endAddress: '203.0.113.255'
    routeType: 'STATIC'
  }
  dependsOn: [
    vnetConnectionAppWebappHybrid
  ]
}

@description('Public certificate App Service generated for app-webapp-hybrid\'s point-to-site connection (not a secret).')
output AppWebappHybridCertBlob string = vnetConnectionAppWebappHybrid.properties.certBlob
