// The LLM gateway on Azure: Key Vault with the gateway's secrets, a user-assigned identity that reads
// them, monitoring, and either or both of
//   - the Function App (Flex Consumption, Java 21): buffered answers, scale to zero;
//   - the container on Container Apps: streamed answers (what Claude Code and Codex want);
// plus, optionally, Azure Managed Redis for shared state. Deploy with
//   az deployment group create -g <group> -f infra-bicep/main.bicep -p @infra-bicep/main.parameters.example.json -p proxyApiKey=...
// No output carries a secret: both URLs, names and the identity's client id only.

targetScope = 'resourceGroup'

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Prefix of resource names: 3-11 lowercase letters and digits.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'llmgw'

@description('Deploy the Function App (buffered responses).')
param deployFunctionApp bool = true

@description('Container image of the gateway (functions/app), e.g. myregistry.azurecr.io/llm-gateway:1.0.0.')
param containerImage string = ''

@description('Deploy the container on Container Apps (streamed responses); by default when an image is given.')
param deployContainerApp bool = !empty(containerImage)

@description('Registry the image is pulled from with the identity (grant it AcrPull there); empty for a public image.')
param containerRegistryServer string = ''

@description('The gateway key clients present (PROXY_API_KEY), 32-256 characters; stored in Key Vault.')
@secure()
@minLength(32)
@maxLength(256)
param proxyApiKey string

@description('Azure OpenAI key (AZURE_OPENAI_API_KEY), stored in Key Vault; empty to leave it out.')
@secure()
param azureOpenAiApiKey string = ''

@description('OpenAI key (OPENAI_API_KEY), stored in Key Vault; empty to leave it out.')
@secure()
param openAiApiKey string = ''

@description('Anthropic key (ANTHROPIC_API_KEY), stored in Key Vault; empty to leave it out.')
@secure()
param anthropicApiKey string = ''

@description('AZURE_OPENAI_ENDPOINT, e.g. https://my-resource.openai.azure.com; empty if Azure OpenAI is not used.')
param azureOpenAiEndpoint string = ''

@description('AZURE_OPENAI_MODEL: the Azure deployment that serves every model name.')
param azureOpenAiModel string = ''

@description('AZURE_OPENAI_API_VERSION.')
param azureOpenAiApiVersion string = '2024-10-21'

@description('Prefix of the gateway\'s secret names in Key Vault (KEY_VAULT_SECRET_PREFIX).')
param keyVaultSecretPrefix string = 'llm-gateway-'

@description('Further gateway settings for both apps, e.g. {"OPENAI_BASE_URL": "...", "MAX_CONCURRENT_REQUESTS": "64"}. Not for secrets: put those in the vault.')
param extraSettings object = {}

@description('Function App: instances the plan may scale out to.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 100

@description('Function App: memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Container app: vCPU per replica.')
param containerCpu string = '0.5'

@description('Container app: memory per replica (1Gi goes with 0.5 vCPU).')
param containerMemory string = '1Gi'

@description('Container app: replicas kept running (1: no cold start for the first request).')
@minValue(0)
@maxValue(300)
param containerMinReplicas int = 1

@description('Container app: most replicas.')
@minValue(1)
@maxValue(300)
param containerMaxReplicas int = 10

@description('Container app: requests in flight per replica before another starts (streams stay open for minutes).')
@minValue(1)
param containerConcurrentRequests int = 50

@description('Also create Azure Managed Redis for shared state (limits and budgets across instances); both apps sign in to it with the identity (Microsoft Entra ID).')
param deployRedis bool = false

@description('Azure Managed Redis SKU.')
param redisSku string = 'Balanced_B0'

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Tags for every resource.')
param tags object = {}

var suffix = uniqueString(resourceGroup().id, namePrefix)

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    namePrefix: namePrefix
    retentionInDays: logRetentionDays
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    location: location
    name: 'kv-${suffix}'
    secretPrefix: keyVaultSecretPrefix
    proxyApiKey: proxyApiKey
    azureOpenAiApiKey: azureOpenAiApiKey
    openAiApiKey: openAiApiKey
    anthropicApiKey: anthropicApiKey
    readerPrincipalId: identity.outputs.principalId
    tags: tags
  }
}

module redis 'modules/redis.bicep' = if (deployRedis) {
  name: 'redis'
  params: {
    location: location
    namePrefix: namePrefix
    skuName: redisSku
    userPrincipalId: identity.outputs.principalId
    tags: tags
  }
}

// What both apps read: where the secrets are, the upstream's non-secret settings and, with Redis, the
// state store: its TLS endpoint and Microsoft Entra sign-in as the identity (the database takes no keys).
// Empty values are left out.
var gatewaySettings = union({
  KEY_VAULT_URI: keyVault.outputs.uri
  KEY_VAULT_SECRET_PREFIX: keyVaultSecretPrefix
  AZURE_OPENAI_ENDPOINT: azureOpenAiEndpoint
  AZURE_OPENAI_MODEL: azureOpenAiModel
  AZURE_OPENAI_API_VERSION: empty(azureOpenAiEndpoint) ? '' : azureOpenAiApiVersion
  GATEWAY_REDIS_URL: deployRedis ? 'rediss://${redis.outputs.hostName}:${redis.outputs.port}' : ''
  GATEWAY_REDIS_AUTH: deployRedis ? 'entra' : ''
}, extraSettings)

module functionApp 'modules/functionapp.bicep' = if (deployFunctionApp) {
  name: 'functionApp'
  params: {
    location: location
    namePrefix: namePrefix
    storageAccountName: take('st${suffix}', 24)
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    identityPrincipalId: identity.outputs.principalId
    appInsightsName: monitoring.outputs.appInsightsName
    gatewaySettings: gatewaySettings
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    tags: tags
  }
}

module containerApp 'modules/containerapp.bicep' = if (deployContainerApp) {
  name: 'containerApp'
  params: {
    location: location
    namePrefix: namePrefix
    image: containerImage
    registryServer: containerRegistryServer
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    workspaceName: monitoring.outputs.workspaceName
    gatewaySettings: gatewaySettings
    cpu: containerCpu
    memory: containerMemory
    minReplicas: containerMinReplicas
    maxReplicas: containerMaxReplicas
    concurrentRequests: containerConcurrentRequests
    tags: tags
  }
}

@description('Base URL of the Function App (buffered); clients append /v1/... as for any OpenAI or Anthropic base URL.')
output functionAppUrl string = deployFunctionApp ? 'https://${functionApp.outputs.defaultHostName}' : ''

@description('Name of the Function App, for az functionapp deploy.')
output functionAppName string = deployFunctionApp ? functionApp.outputs.name : ''

@description('Base URL of the container app (streaming).')
output containerAppUrl string = deployContainerApp ? 'https://${containerApp.outputs.fqdn}' : ''

@description('The vault holding the gateway\'s secrets (rotate keys there).')
output keyVaultName string = keyVault.outputs.name

@description('Client id of the identity both apps run as.')
output identityClientId string = identity.outputs.clientId

@description('Azure Managed Redis host (TLS, port 10000, Entra authentication), when deployed.')
output redisHostName string = deployRedis ? redis.outputs.hostName : ''
