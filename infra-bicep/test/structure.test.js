'use strict';
// What the templates must say, read from their syntax trees: parameters declared and used, modules
// given what they declare, every resource type at a named (non-preview) API version, the Key Vault
// role assignment on RBAC, the Flex Consumption Function App on Java 21, the container app's probes
// and scaling, and no secret in any output.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, bicepFiles, parseFile, walk, declarations, prop, stringValue, references } = require('./bicep');

const API_VERSIONS = {
  'Microsoft.ManagedIdentity/userAssignedIdentities': '2023-01-31',
  'Microsoft.OperationalInsights/workspaces': '2023-09-01',
  'Microsoft.Insights/components': '2020-02-02',
  'Microsoft.KeyVault/vaults': '2023-07-01',
  'Microsoft.KeyVault/vaults/secrets': '2023-07-01',
  'Microsoft.Authorization/roleAssignments': '2022-04-01',
  'Microsoft.Storage/storageAccounts': '2023-05-01',
  'Microsoft.Storage/storageAccounts/blobServices': '2023-05-01',
  'Microsoft.Storage/storageAccounts/blobServices/containers': '2023-05-01',
  'Microsoft.Web/serverfarms': '2024-04-01',
  'Microsoft.Web/sites': '2024-04-01',
  'Microsoft.App/managedEnvironments': '2024-03-01',
  'Microsoft.App/containerApps': '2024-03-01',
  'Microsoft.Cache/redisEnterprise': '2025-04-01',
  'Microsoft.Cache/redisEnterprise/databases': '2025-04-01',
  'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments': '2025-04-01',
};
const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

const parsed = {};
async function load(file) {
  if (!parsed[file]) {
    const result = await parseFile(file);
    parsed[file] = { ...result, decl: declarations(result.root) };
  }
  return parsed[file];
}

function resource(decl, type) {
  const found = decl.resources.filter((r) => r.type === type);
  assert.equal(found.length, 1, `one ${type}, found ${found.length}`);
  return found[0];
}

function text(node) {
  return node ? node.text : undefined;
}

/** A string property's value, or the string a variable it names holds. */
function resolvedString(decl, node) {
  if (!node) return null;
  if (node.type === 'identifier') {
    const v = decl.vars.find((x) => x.name === node.text);
    return v ? resolvedString(decl, v.value) : null;
  }
  return stringValue(node);
}

for (const file of bicepFiles()) {
  test(`${file}: every parameter is used`, async () => {
    const { root, decl } = await load(file);
    const used = new Map();
    walk(root, (n) => {
      if (n.type === 'identifier' && !(n.parent?.type === 'parameter_declaration' && n.parent.namedChildren[0].id === n.id)
          && !(n.parent?.type === 'object_property' && n.parent.namedChildren[0].id === n.id)) {
        used.set(n.text, (used.get(n.text) ?? 0) + 1);
      }
    });
    const unused = decl.params.filter((p) => !used.has(p.name)).map((p) => p.name);
    assert.deepEqual(unused, []);
  });

  test(`${file}: every resource names a type and a stable API version`, async () => {
    const { decl } = await load(file);
    for (const r of decl.resources) {
      assert.ok(r.type && r.apiVersion, `${r.name} has a type@version string`);
      assert.ok(Object.hasOwn(API_VERSIONS, r.type), `${r.name}: unexpected type ${r.type}`);
      assert.equal(r.apiVersion, API_VERSIONS[r.type], `${r.name}: ${r.type} at ${r.apiVersion}`);
      assert.doesNotMatch(r.apiVersion, /preview/);
    }
  });

  test(`${file}: no output carries a secret`, async () => {
    const { decl } = await load(file);
    const secure = new Set(decl.params.filter((p) => p.decorators.includes('secure')).map((p) => p.name));
    for (const output of decl.outputs) {
      const refs = references(output.value);
      assert.deepEqual([...refs].filter((r) => secure.has(r)), [], `output ${output.name} refers to a secure parameter`);
      walk(output.value, (n) => {
        if (n.type === 'call_expression') {
          assert.doesNotMatch(n.childForFieldName('function').text, /^list/i, `output ${output.name} calls ${n.text}`);
        }
      });
      assert.doesNotMatch(output.value.text, /ConnectionString|InstrumentationKey|SharedKey|primaryKey|secondaryKey|accessKey/i,
        `output ${output.name} = ${output.value.text}`);
    }
  });
}

test('every resource type listed is deployed somewhere', async () => {
  const types = new Set();
  for (const file of bicepFiles()) {
    (await load(file)).decl.resources.forEach((r) => types.add(r.type));
  }
  assert.deepEqual([...types].sort(), Object.keys(API_VERSIONS).sort());
});

test('main.bicep gives each module exactly what it declares, and secrets only to secure parameters', async () => {
  const { decl } = await load('main.bicep');
  const secure = new Set(decl.params.filter((p) => p.decorators.includes('secure')).map((p) => p.name));
  assert.deepEqual([...secure].sort(), ['anthropicApiKey', 'azureOpenAiApiKey', 'openAiApiKey', 'proxyApiKey']);
  assert.ok(decl.modules.length >= 6);
  for (const m of decl.modules) {
    const module = await load(path.normalize(m.path));
    const declared = new Map(module.decl.params.map((p) => [p.name, p]));
    const passed = prop(m.body, 'params').namedChildren.map((p) => [p.namedChildren[0].text, p.namedChildren[1]]);
    for (const [name, value] of passed) {
      assert.ok(declared.has(name), `${m.path} has no parameter ${name}`);
      const secrets = [...references(value)].filter((r) => secure.has(r));
      if (secrets.length > 0) {
        assert.ok(declared.get(name).decorators.includes('secure'), `${m.path}: ${name} receives ${secrets} but is not @secure()`);
      }
    }
    const required = module.decl.params.filter((p) => !p.defaultValue).map((p) => p.name);
    assert.deepEqual(required.filter((r) => !passed.some(([n]) => n === r)), [], `${m.path} is missing parameters`);
  }
});

test('the example parameters file sets only declared, non-secret parameters', async () => {
  const { decl } = await load('main.bicep');
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'main.parameters.example.json'), 'utf8'));
  const params = new Map(decl.params.map((p) => [p.name, p]));
  for (const name of Object.keys(example.parameters)) {
    assert.ok(params.has(name), `main.bicep declares no ${name}`);
    assert.ok(!params.get(name).decorators.includes('secure'), `${name} is a secret: pass it on the command line, not in a file`);
  }
});

test('Key Vault is on RBAC and the identity has Key Vault Secrets User on it', async () => {
  const { decl } = await load('modules/keyvault.bicep');
  const vault = resource(decl, 'Microsoft.KeyVault/vaults');
  assert.equal(text(prop(vault.body, 'properties', 'enableRbacAuthorization')), 'true');
  assert.equal(prop(vault.body, 'properties', 'accessPolicies'), null, 'no access policies');
  const role = resource(decl, 'Microsoft.Authorization/roleAssignments');
  assert.equal(text(prop(role.body, 'scope')), vault.name);
  const definition = prop(role.body, 'properties', 'roleDefinitionId');
  const guidVar = [...references(definition)].find((r) => decl.vars.some((v) => v.name === r));
  assert.equal(resolvedString(decl, decl.vars.find((v) => v.name === guidVar).value), KEY_VAULT_SECRETS_USER);
  assert.match(definition.text, /subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions'/);
  assert.equal(text(prop(role.body, 'properties', 'principalId')), 'readerPrincipalId');
  assert.equal(stringValue(prop(role.body, 'properties', 'principalType')), 'ServicePrincipal');
  // the reader is the identity both apps run as
  const main = (await load('main.bicep')).decl;
  const kv = main.modules.find((m) => m.path === 'modules/keyvault.bicep');
  assert.equal(text(prop(kv.body, 'params', 'readerPrincipalId')), 'identity.outputs.principalId');
  // the secrets carry the gateway's variable names after the prefix
  const names = decl.resources.filter((r) => r.type === 'Microsoft.KeyVault/vaults/secrets').map((r) => text(prop(r.body, 'name')));
  assert.deepEqual(names.sort(), ["'${secretPrefix}ANTHROPIC-API-KEY'", "'${secretPrefix}AZURE-OPENAI-API-KEY'",
    "'${secretPrefix}OPENAI-API-KEY'", "'${secretPrefix}PROXY-API-KEY'"]);
});

test('the Function App is on Flex Consumption with Java 21 and identity-based storage', async () => {
  const { decl, text: source } = await load('modules/functionapp.bicep');
  const plan = resource(decl, 'Microsoft.Web/serverfarms');
  assert.equal(stringValue(prop(plan.body, 'sku', 'tier')), 'FlexConsumption');
  assert.equal(stringValue(prop(plan.body, 'sku', 'name')), 'FC1');
  assert.equal(text(prop(plan.body, 'properties', 'reserved')), 'true');
  const site = resource(decl, 'Microsoft.Web/sites');
  assert.equal(stringValue(prop(site.body, 'kind')), 'functionapp,linux');
  assert.equal(text(prop(site.body, 'properties', 'serverFarmId')), 'plan.id');
  assert.equal(stringValue(prop(site.body, 'properties', 'functionAppConfig', 'runtime', 'name')), 'java');
  assert.equal(stringValue(prop(site.body, 'properties', 'functionAppConfig', 'runtime', 'version')), '21');
  assert.equal(stringValue(prop(site.body, 'properties', 'functionAppConfig', 'deployment', 'storage', 'authentication', 'type')),
    'UserAssignedIdentity');
  assert.equal(stringValue(prop(site.body, 'identity', 'type')), 'UserAssigned');
  const hostSettings = decl.vars.find((v) => v.name === 'hostSettings').value;
  assert.equal(stringValue(prop(hostSettings, 'AzureWebJobsStorage__credential')), 'managedidentity');
  assert.ok(prop(hostSettings, 'AzureWebJobsStorage__accountName'));
  assert.equal(text(prop(hostSettings, 'AZURE_CLIENT_ID')), 'identityClientId');
  // Settings Flex Consumption refuses, and a storage connection string (a key) instead of the identity.
  assert.doesNotMatch(source, /FUNCTIONS_WORKER_RUNTIME|FUNCTIONS_EXTENSION_VERSION|WEBSITE_RUN_FROM_PACKAGE|AzureWebJobsStorage'?\s*:/);
  const storage = resource(decl, 'Microsoft.Storage/storageAccounts');
  assert.equal(text(prop(storage.body, 'properties', 'allowSharedKeyAccess')), 'false');
  const role = resource(decl, 'Microsoft.Authorization/roleAssignments');
  assert.equal(text(prop(role.body, 'scope')), 'storage');
});

test('the container app runs the given image with the identity, probes and HTTP scaling', async () => {
  const { decl } = await load('modules/containerapp.bicep');
  const app = resource(decl, 'Microsoft.App/containerApps');
  const container = prop(app.body, 'properties', 'template', 'containers').namedChildren[0];
  assert.equal(text(prop(container, 'image')), 'image');
  const probes = prop(container, 'probes').namedChildren.map((p) => [stringValue(prop(p, 'type')), stringValue(prop(p, 'httpGet', 'path'))]);
  assert.deepEqual(probes, [['Startup', '/health/live'], ['Liveness', '/health/live'], ['Readiness', '/health/ready']]);
  const rule = prop(app.body, 'properties', 'template', 'scale', 'rules').namedChildren[0];
  assert.equal(text(prop(rule, 'http', 'metadata', 'concurrentRequests')), 'string(concurrentRequests)');
  assert.equal(text(prop(app.body, 'properties', 'template', 'scale', 'minReplicas')), 'minReplicas');
  assert.equal(text(prop(app.body, 'properties', 'configuration', 'ingress', 'external')), 'true');
  assert.equal(text(prop(app.body, 'properties', 'configuration', 'ingress', 'allowInsecure')), 'false');
  assert.equal(stringValue(prop(app.body, 'identity', 'type')), 'UserAssigned');
});

test('both apps get the vault, its prefix and the identity; both URLs are outputs', async () => {
  const { decl } = await load('main.bicep');
  const settings = decl.vars.find((v) => v.name === 'gatewaySettings').value;
  assert.match(settings.text, /KEY_VAULT_URI: keyVault\.outputs\.uri/);
  assert.match(settings.text, /KEY_VAULT_SECRET_PREFIX: keyVaultSecretPrefix/);
  for (const path of ['modules/functionapp.bicep', 'modules/containerapp.bicep']) {
    const m = decl.modules.find((x) => x.path === path);
    assert.equal(text(prop(m.body, 'params', 'gatewaySettings')), 'gatewaySettings');
    assert.equal(text(prop(m.body, 'params', 'identityId')), 'identity.outputs.id');
    assert.equal(text(prop(m.body, 'params', 'identityClientId')), 'identity.outputs.clientId');
  }
  const outputs = decl.outputs.map((o) => o.name);
  assert.ok(outputs.includes('functionAppUrl') && outputs.includes('containerAppUrl'), outputs.join());
});

test('Redis is optional, TLS only and Entra-authenticated', async () => {
  const main = (await load('main.bicep')).decl;
  const redisModule = main.modules.find((m) => m.path === 'modules/redis.bicep');
  assert.match(redisModule.node.text, /= if \(deployRedis\)/);
  const { decl } = await load('modules/redis.bicep');
  const cluster = resource(decl, 'Microsoft.Cache/redisEnterprise');
  assert.equal(stringValue(prop(cluster.body, 'properties', 'minimumTlsVersion')), '1.2');
  const database = resource(decl, 'Microsoft.Cache/redisEnterprise/databases');
  assert.equal(stringValue(prop(database.body, 'properties', 'clientProtocol')), 'Encrypted');
  assert.equal(stringValue(prop(database.body, 'properties', 'accessKeysAuthentication')), 'Disabled');
  const access = resource(decl, 'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments');
  assert.equal(text(prop(access.body, 'properties', 'user', 'objectId')), 'userPrincipalId');
  assert.equal(text(prop(redisModule.body, 'params', 'userPrincipalId')), 'identity.outputs.principalId');
  assert.deepEqual(decl.outputs.map((o) => [o.name, o.value.text]).sort(),
    [['hostName', 'redis.properties.hostName'], ['port', 'database.properties.port']]);
});

test('with Redis, both apps get its TLS endpoint and sign in with Microsoft Entra ID; without it, neither setting', async () => {
  const { decl } = await load('main.bicep');
  const settings = decl.vars.find((v) => v.name === 'gatewaySettings').value;
  // the first argument of union(): the settings the template itself writes (extraSettings may override them)
  const own = settings.namedChildren.find((n) => n.type === 'arguments').namedChildren[0];
  assert.equal(text(prop(own, 'GATEWAY_REDIS_URL')), "deployRedis ? 'rediss://${redis.outputs.hostName}:${redis.outputs.port}' : ''");
  assert.equal(text(prop(own, 'GATEWAY_REDIS_AUTH')), "deployRedis ? 'entra' : ''");
  // empty settings are left out of both apps, so without Redis neither variable exists there
  const fn = (await load('modules/functionapp.bicep')).text;
  assert.match(fn, /filter\(items\(union\(hostSettings, gatewaySettings\)\), s => !empty\(string\(s\.value\)\)\)/);
  const ca = (await load('modules/containerapp.bicep')).text;
  assert.match(ca, /var settings = union\(gatewaySettings,/);
  assert.match(ca, /filter\(items\(settings\), s => !empty\(string\(s\.value\)\)\)/);
});
