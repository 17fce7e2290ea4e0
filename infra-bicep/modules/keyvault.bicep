// The vault with the gateway's secrets, on Azure RBAC (no access policies), and the identity's
// Key Vault Secrets User role on it. Secret names are the gateway's variable names with '-' for
// '_' after the prefix (KEY_VAULT_SECRET_PREFIX): llm-gateway-PROXY-API-KEY supplies PROXY_API_KEY.

param location string

@description('Globally unique vault name, 3-24 characters.')
@minLength(3)
@maxLength(24)
param name string

@description('Prefix of the secret names; the gateway reads only secrets that start with it.')
param secretPrefix string

@description('PROXY_API_KEY: the gateway key clients present (32-256 characters).')
@secure()
param proxyApiKey string

@description('AZURE_OPENAI_API_KEY; empty: no such secret.')
@secure()
param azureOpenAiApiKey string

@description('OPENAI_API_KEY; empty: no such secret.')
@secure()
param openAiApiKey string

@description('ANTHROPIC_API_KEY; empty: no such secret.')
@secure()
param anthropicApiKey string

@description('Principal id of the identity that reads the secrets.')
param readerPrincipalId string

param tags object

// Key Vault Secrets User: read secret values and metadata (get, list), nothing else.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

resource proxyKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: '${secretPrefix}PROXY-API-KEY'
  properties: {
    value: proxyApiKey
    contentType: 'text/plain'
  }
}

resource azureOpenAiKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(azureOpenAiApiKey)) {
  parent: vault
  name: '${secretPrefix}AZURE-OPENAI-API-KEY'
  properties: {
    value: azureOpenAiApiKey
    contentType: 'text/plain'
  }
}

resource openAiKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(openAiApiKey)) {
  parent: vault
  name: '${secretPrefix}OPENAI-API-KEY'
  properties: {
    value: openAiApiKey
    contentType: 'text/plain'
  }
}

resource anthropicKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(anthropicApiKey)) {
  parent: vault
  name: '${secretPrefix}ANTHROPIC-API-KEY'
  properties: {
    value: anthropicApiKey
    contentType: 'text/plain'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
