// The Access Reviews bot on Azure: App Service (Linux, Node 22 LTS), Azure Bot with the Teams channel, Blob
// storage for the bot's state, optional Application Insights.
//
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json \
//     -p microsoftAppId=<app id> microsoftAppPassword=<secret>
//
// The app settings below map one to one onto keys bot/config.ts reads (botSettings, otlpEndpointSettings,
// otlpHeaderSettings) plus Azure's own platform settings (platformSettings, insightsSettings);
// test/infra/bicep.test.ts keeps both lists honest.
//
// The bot's credential here is a client secret. The bot can also use a certificate (AAD_CLIENT_CERTIFICATE_PATH, a
// PEM file with key and certificate), but App Service hands a loaded private certificate to a Linux app only as a
// PKCS#12 file (/var/ssl/private/<thumbprint>.p12), not as that PEM, so the template does not offer it: run the
// container with the PEM mounted instead (infra/README.md, "Certificate credential").

targetScope = 'resourceGroup'

@description('Prefix of every resource name.')
@minLength(3)
@maxLength(20)
param baseName string = 'accessreviews'

@description('Region of the App Service plan, the web app, storage and Application Insights (the Azure Bot is global).')
param location string = resourceGroup().location

@description('Name of the web app (globally unique): its host is <webAppName>.azurewebsites.net. Choose it before registering the Entra app.')
param webAppName string = '${baseName}-${uniqueString(resourceGroup().id)}'

@description('Public host name of the bot when a custom domain is bound; empty = <webAppName>.azurewebsites.net.')
param publicHostName string = ''

@description('Application (client) id of the Entra app registration (infra/register-app.sh prints it).')
param microsoftAppId string

@description('Client secret of that app registration, or a Key Vault reference to it: @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/) (the web app\'s managed identity, output webAppPrincipalId, needs read access to that secret).')
@secure()
param microsoftAppPassword string

@description('Directory (tenant) id of the app registration; default the tenant of this deployment.')
param microsoftAppTenantId string = tenant().tenantId

@description('Blob container of the bot\'s state (created on first use).')
param storageContainer string = 'access-review-bot'

@description('pino log level of the bot.')
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'

@description('OTLP/HTTP endpoint of an OpenTelemetry collector (OTEL_EXPORTER_OTLP_ENDPOINT); empty = no telemetry export.')
param otlpEndpoint string = ''

@description('Headers of every OTLP export (OTEL_EXPORTER_OTLP_HEADERS, key1=value1,key2=value2), e.g. an API key, or a Key Vault reference; used only with otlpEndpoint.')
@secure()
param otlpHeaders string = ''

@description('Name of an Azure Bot OAuth connection to create, for SSO_MODE=connection: users signed in through the Bot Framework token service instead of the bot\'s own on-behalf-of exchange (README, "Channel sign-in and the OAuth connection fallback"). Empty = no connection, SSO_MODE=teams. With a connection, microsoftAppPassword must be the secret itself (the Azure Bot keeps a copy), not a Key Vault reference.')
param ssoConnectionName string = ''

@description('App Service plan SKU (Always On needs Basic or above).')
param appServicePlanSku string = 'B1'

@description('Azure Bot SKU: F0 (free, standard channels such as Teams are free either way) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Create Application Insights (with a Log Analytics workspace) and switch on App Service\'s Node.js agent.')
param enableAppInsights bool = false

var suffix = uniqueString(resourceGroup().id)
var publicHost = empty(publicHostName) ? '${webAppName}.azurewebsites.net' : publicHostName
var publicBaseUrl = 'https://${publicHost}'
var messagingEndpoint = '${publicBaseUrl}/api/messages'
var storageConnectionString = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

// Keys bot/config.ts reads, one setting each, nothing else.
var botSettings = [
  {
    name: 'MicrosoftAppId'
    value: microsoftAppId
  }
  {
    name: 'MicrosoftAppPassword'
    value: microsoftAppPassword
  }
  {
    name: 'MicrosoftAppTenantId'
    value: microsoftAppTenantId
  }
  {
    name: 'MicrosoftAppType'
    value: 'SingleTenant'
  }
  {
    name: 'PUBLIC_BASE_URL'
    value: publicBaseUrl
  }
  {
    name: 'STORAGE_CONNECTION_STRING'
    value: storageConnectionString
  }
  {
    name: 'STORAGE_CONTAINER'
    value: storageContainer
  }
  {
    name: 'LOG_LEVEL'
    value: logLevel
  }
]

// OpenTelemetry export, bot keys too: only when an endpoint is given (the headers only with it).
var otlpEndpointSettings = !empty(otlpEndpoint) ? [
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT'
    value: otlpEndpoint
  }
] : []

var otlpHeaderSettings = !empty(otlpEndpoint) && !empty(otlpHeaders) ? [
  {
    name: 'OTEL_EXPORTER_OTLP_HEADERS'
    value: otlpHeaders
  }
] : []

// SSO_MODE=connection, bot keys too: only with an OAuth connection.
var ssoConnectionSettings = !empty(ssoConnectionName) ? [
  {
    name: 'SSO_MODE'
    value: 'connection'
  }
  {
    name: 'SSO_CONNECTION_NAME'
    value: ssoConnectionName
  }
] : []

// The delegated Graph permissions the bot asks for (infra/graph-permissions.json, type Scope), as the connection's scopes.
var graphDelegatedScopes = 'AccessReview.ReadWrite.All Group.Read.All User.ReadBasic.All User.Read RoleManagement.Read.Directory'

// Azure's own: App Service reads these, the bot never does. (PORT is set by App Service itself.)
var platformSettings = [
  {
    // Zip deploy of the sources: Oryx runs npm install and `npm run build` (dist/) on the server.
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: 'true'
  }
]

var insightsSettings = enableAppInsights ? [
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: insights.properties.ConnectionString
  }
  {
    // App Service's auto-instrumentation agent for Node.js on Linux.
    name: 'ApplicationInsightsAgent_EXTENSION_VERSION'
    value: '~3'
  }
] : []

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${suffix}'
  location: location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource stateContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: storageContainer
  properties: {
    publicAccess: 'None'
  }
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = if (enableAppInsights) {
  name: '${baseName}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = if (enableAppInsights) {
  name: '${baseName}-insights-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'Node.JS'
    WorkspaceResourceId: workspace.id
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${baseName}-plan-${suffix}'
  location: location
  kind: 'linux'
  sku: {
    name: appServicePlanSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  // A system-assigned identity, so app settings may be Key Vault references (granted read access to the secrets).
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'npm run serve'
      alwaysOn: true
      healthCheckPath: '/healthz/ready'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(botSettings, otlpEndpointSettings, otlpHeaderSettings, ssoConnectionSettings, platformSettings, insightsSettings)
    }
  }
  dependsOn: [
    stateContainer
  ]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${baseName}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'Access Reviews'
    endpoint: messagingEndpoint
    msaAppId: microsoftAppId
    msaAppTenantId: microsoftAppTenantId
    msaAppType: 'SingleTenant'
    disableLocalAuth: false
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Azure AD v2 OAuth connection with token exchange (its Token Exchange URL is the Application ID URI Teams asks a
// token for; a mismatch is Teams' resourcematchfailed). Only with ssoConnectionName.
resource ssoConnection 'Microsoft.BotService/botServices/connections@2022-09-15' = if (!empty(ssoConnectionName)) {
  parent: bot
  name: empty(ssoConnectionName) ? 'none' : ssoConnectionName
  location: 'global'
  properties: {
    serviceProviderDisplayName: 'Azure Active Directory v2'
    serviceProviderId: '30dd229c-58e3-4a48-bdfd-91ec48eb906c'
    clientId: microsoftAppId
    clientSecret: microsoftAppPassword
    scopes: graphDelegatedScopes
    parameters: [
      {
        key: 'tenantID'
        value: microsoftAppTenantId
      }
      {
        key: 'tokenExchangeUrl'
        value: 'api://botid-${microsoftAppId}'
      }
    ]
  }
}

@description('The web app\'s default host name (<webAppName>.azurewebsites.net).')
output webAppHostName string = webApp.properties.defaultHostName

@description('The Azure Bot\'s messaging endpoint: https://<public host>/api/messages.')
output messagingEndpoint string = messagingEndpoint

@description('PUBLIC_BASE_URL as set on the web app.')
output publicBaseUrl string = publicBaseUrl

@description('Name of the Azure Bot resource.')
output botResourceName string = bot.name

@description('Name of the web app (for az webapp deploy).')
output webAppName string = webApp.name

@description('Object id of the web app\'s system-assigned managed identity (grant it read access to Key Vault secrets its settings reference).')
output webAppPrincipalId string = webApp.identity.principalId
