// The gateway on Azure Functions, Flex Consumption plan, Java 21: its storage account (host state and
// the deployment package, reached with the user-assigned identity; no shared keys), the plan, and the
// app with its settings. Responses are buffered (the Java worker cannot stream): a streaming request
// gets its complete SSE body at once. Deploy the package with az functionapp deploy (see the README).

param location string
param namePrefix string

@description('Globally unique storage account name, 3-24 lowercase letters and digits.')
@minLength(3)
@maxLength(24)
param storageAccountName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (AZURE_CLIENT_ID: which identity DefaultAzureCredential uses).')
param identityClientId string

@description('Principal id of that identity, for its role on the storage account.')
param identityPrincipalId string

@description('Name of the Application Insights resource the host sends telemetry to.')
param appInsightsName string

@description('The gateway\'s settings (KEY_VAULT_URI, AZURE_OPENAI_ENDPOINT, ...); empty values are left out.')
param gatewaySettings object

@description('Instances the plan may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

param tags object

// Storage Blob Data Owner: the host's own blobs and the deployment container.
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var deploymentContainerName = 'app-package'

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource storageBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identityPrincipalId, storageBlobDataOwnerRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwnerRoleId)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${namePrefix}-plan'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

var hostSettings = {
  // Identity-based host storage: no connection string, no account key.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // GET and HEAD / reach the gateway's catch-all function (Claude Code probes the base URL).
  AzureWebJobsDisableHomepage: 'true'
  AZURE_CLIENT_ID: identityClientId
}

// Known when the deployment starts (parameters only), as a loop's source must be.
var settingsList = [for setting in filter(items(union(hostSettings, gatewaySettings)), s => !empty(string(s.value))): {
  name: setting.key
  value: string(setting.value)
}]

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: '${namePrefix}-func-${uniqueString(resourceGroup().id)}'
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: concat(settingsList, [
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
      ])
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'java'
        version: '21'
      }
    }
  }
  dependsOn: [
    storageBlobOwner
    deploymentContainer
  ]
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
