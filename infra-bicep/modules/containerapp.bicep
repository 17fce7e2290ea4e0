// The gateway's container on Azure Container Apps: the streaming deployment (each SSE event reaches the
// client as it is produced), the same image as the AWS container, the same identity and Key Vault
// secrets as the Function App, probes on /health/live and /health/ready, and HTTP-concurrency scaling.

param location string
param namePrefix string

@description('Container image reference, e.g. myregistry.azurecr.io/llm-gateway:1.0.0.')
param image string

@description('Registry server to pull the image from with the identity (it needs AcrPull there); empty for a public image.')
param registryServer string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (AZURE_CLIENT_ID: which identity DefaultAzureCredential uses).')
param identityClientId string

@description('Name of the Log Analytics workspace that receives the console (JSON) logs.')
param workspaceName string

@description('The gateway\'s settings (KEY_VAULT_URI, AZURE_OPENAI_ENDPOINT, ...); empty values are left out.')
param gatewaySettings object

@description('vCPU per replica, e.g. 0.5.')
param cpu string

@description('Memory per replica, e.g. 1Gi (Container Apps pairs it with the CPU: 0.5 vCPU takes 1Gi).')
param memory string

@minValue(0)
@maxValue(300)
param minReplicas int

@minValue(1)
@maxValue(300)
param maxReplicas int

@description('Requests in flight per replica before another replica starts.')
@minValue(1)
param concurrentRequests int

param tags object

var port = 8080

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
  }
}

var settings = union(gatewaySettings, {
  AZURE_CLIENT_ID: identityClientId
  PORT: string(port)
})

resource containerApp 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${namePrefix}-app'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: port
        transport: 'auto'
        allowInsecure: false
        traffic: [
          {
            latestRevision: true
            weight: 100
          }
        ]
      }
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'gateway'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: [for setting in filter(items(settings), s => !empty(string(s.value))): {
            name: setting.key
            value: string(setting.value)
          }]
          probes: [
            {
              // Reading Key Vault and building the gateway happen before the port opens.
              type: 'Startup'
              httpGet: {
                path: '/health/live'
                port: port
              }
              periodSeconds: 2
              failureThreshold: 60
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: port
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              // 503 while no upstream is usable: the replica leaves the load balancer instead of failing requests.
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: port
              }
              periodSeconds: 5
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http-concurrency'
            http: {
              metadata: {
                concurrentRequests: string(concurrentRequests)
              }
            }
          }
        ]
      }
    }
  }
}

output name string = containerApp.name
output fqdn string = containerApp.properties.configuration.ingress.fqdn
