// Optional: Azure Managed Redis for the gateway's shared state (rate limits and budgets that hold across
// instances). TLS only, access keys off, Microsoft Entra authentication for the gateway's identity: both
// apps get GATEWAY_REDIS_URL=rediss://<host>:10000 and GATEWAY_REDIS_AUTH=entra, and sign in as the
// identity's object id with its token.

param location string
param namePrefix string

@description('Azure Managed Redis SKU, e.g. Balanced_B0 (the smallest) or Balanced_B1.')
param skuName string

@description('Object (principal) id of the identity that may use the database.')
param userPrincipalId string

param tags object

resource redis 'Microsoft.Cache/redisEnterprise@2025-04-01' = {
  name: '${namePrefix}-redis-${uniqueString(resourceGroup().id)}'
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    minimumTlsVersion: '1.2'
  }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-04-01' = {
  parent: redis
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: 10000
    // One endpoint for any Redis client; OSSCluster would need a cluster-aware one.
    clusteringPolicy: 'EnterpriseCluster'
    // Limit counters must not vanish under memory pressure; cache entries carry their own TTLs.
    evictionPolicy: 'NoEviction'
    accessKeysAuthentication: 'Disabled'
  }
}

resource gatewayAccess 'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments@2025-04-01' = {
  parent: database
  name: 'gateway'
  properties: {
    accessPolicyName: 'default'
    user: {
      objectId: userPrincipalId
    }
  }
}

output hostName string = redis.properties.hostName
output port int = database.properties.port
