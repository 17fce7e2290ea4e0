// Log Analytics workspace and a workspace-based Application Insights: the Function App's requests,
// the gateway's JSON request lines (traces) and the Container Apps console logs land in one workspace.

@description('Azure region.')
param location string

@description('Prefix of every resource name.')
param namePrefix string

@description('Days the workspace keeps logs.')
@minValue(30)
@maxValue(730)
param retentionInDays int

param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-insights'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

// Names only: modules that need the connection string or the workspace key read them from the
// resources themselves, so no key passes through a deployment output.
output workspaceName string = workspace.name
output appInsightsName string = appInsights.name
