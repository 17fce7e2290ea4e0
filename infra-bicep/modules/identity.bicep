// The user-assigned identity both the Function App and the container app run as: it reads the
// vault's secrets, the Function App's storage, and (when deployed) the Redis database.

param location string
param namePrefix string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-identity'
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
