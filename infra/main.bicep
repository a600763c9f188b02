// The counter service on Azure Functions Flex Consumption: storage (task hub, snapshot table, deployment package),
// a user-assigned identity for every connection (no keys), Application Insights on Log Analytics, and the app.
// Deploy: az deployment group create -g <rg> -f infra/main.bicep -p infra/main.bicepparam

@description('Region of every resource. Flex Consumption must be available there (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Short prefix of every resource name; a suffix unique to the resource group is appended.')
@minLength(2)
@maxLength(10)
param namePrefix string = 'counter'

@description('.NET version of the isolated worker; the newest that Flex Consumption lists (az functionapp list-flexconsumption-runtimes).')
@allowed([
  '8.0'
  '9.0'
  '10.0'
])
param dotnetVersion string = '10.0'

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Whether the storage account accepts account keys at all. Nothing here uses them; keep false.')
param allowSharedKeyAccess bool = false

@description('Counters__ShardCount: shard entities new increments are spread over.')
@minValue(1)
@maxValue(1024)
param shardCount int = 4

@description('Counters__ShardMinIncrementsToGlobal: a shard flushes once it holds this many increments.')
@minValue(1)
@maxValue(1000000)
param shardMinIncrementsToGlobal int = 100

@description('Counters__ShardWriteToGlobalAfter: the longest an increment waits in a shard (hh:mm:ss, at most 01:00:00).')
param shardWriteToGlobalAfter string = '00:00:05'

@description('Counters__GlobalMinWritesToSnapshot: the global entity snapshots after this many merges.')
@minValue(1)
@maxValue(1000000)
param globalMinWritesToSnapshot int = 100

@description('Counters__GlobalWriteToSnapshotAfter: the longest a change waits for its snapshot (hh:mm:ss, at most 01:00:00).')
param globalWriteToSnapshotAfter string = '00:00:05'

@description('Counters__KeyPrefix: prefix of the snapshot table\'s partition keys (1-32 letters or digits).')
@minLength(1)
@maxLength(32)
param keyPrefix string = 'counters'

@description('The snapshot table (the read path); the tenant store\'s tables add Tenants and TenantCounters to its name.')
@minLength(3)
@maxLength(49)
param snapshotTableName string = 'counters'

@description('Admin__KeyHashes: the SHA-256 of each operator key, 64 hex digits (see docs/api.md, "Keys"). Empty: the operator routes answer 401.')
param operatorKeyHashes array = []

@description('Origins whose pages may call the app from a browser (CORS, answered by the platform for every route), e.g. https://blog.example. Empty: no browser calls from other sites.')
param corsAllowedOrigins array = []

var operatorKeySettings = [for (hash, index) in operatorKeyHashes: { name: 'Admin__KeyHashes__${index}', value: hash }]

var suffix = uniqueString(resourceGroup().id)
var storageAccountName = take(toLower('${replace(namePrefix, '-', '')}${suffix}'), 24)
var functionAppName = '${namePrefix}-func-${suffix}'
var deploymentContainerName = 'app-package'

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: allowSharedKeyAccess
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
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

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource snapshotTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: snapshotTableName
}

// The app (host storage, Durable Task hub, deployment package, snapshot table) reaches storage only with its identity.
resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-log-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-appi-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

resource telemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${namePrefix}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
      appSettings: concat([
        // Host storage and the Durable Task hub, identity-based.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        // DefaultAzureCredential in the app (the snapshot store) picks the same identity.
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        { name: 'Counters__ShardCount', value: string(shardCount) }
        { name: 'Counters__ShardMinIncrementsToGlobal', value: string(shardMinIncrementsToGlobal) }
        { name: 'Counters__ShardWriteToGlobalAfter', value: shardWriteToGlobalAfter }
        { name: 'Counters__GlobalMinWritesToSnapshot', value: string(globalMinWritesToSnapshot) }
        { name: 'Counters__GlobalWriteToSnapshotAfter', value: globalWriteToSnapshotAfter }
        { name: 'Counters__KeyPrefix', value: keyPrefix }
        { name: 'Storage__TablesConnection', value: storage.properties.primaryEndpoints.table }
        { name: 'Storage__TableName', value: snapshotTableName }
      ], operatorKeySettings)
    }
  }
  dependsOn: [
    storageRoles
    telemetryRole
    deploymentContainer
    snapshotTable
  ]
}

@description('The function app, for `func azure functionapp publish` and `az functionapp ...`.')
output functionAppName string = functionApp.name

@description('Base URL of the HTTP contract (no /api prefix).')
output baseUrl string = 'https://${functionApp.properties.defaultHostName}'
