import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_KEYS } from '../../bot/config';

/**
 * infra/main.bicep, read by a small strict line parser (no Bicep compiler can be installed here: it is not on
 * npm or in Debian's packages). The template's shape the parser relies on is part of what is checked.
 */
const ROOT = resolve(__dirname, '..', '..');
const bicep = readFileSync(join(ROOT, 'infra', 'main.bicep'), 'utf8');
const lines = bicep.split('\n');

/** Settings of Azure's own (App Service, Application Insights), never read by the bot. */
const PLATFORM_SETTINGS = ['SCM_DO_BUILD_DURING_DEPLOYMENT', 'WEBSITE_NODE_DEFAULT_VERSION', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'ApplicationInsightsAgent_EXTENSION_VERSION'];

const params = lines.flatMap((line) => {
  const match = /^param (\w+) (string|bool|int|object|array)\b/.exec(line);
  return match ? [{ name: match[1], type: match[2], secure: false }] : [];
});
const secureParams = lines.flatMap((line, index) => (line === '@secure()' ? [/^param (\w+)/.exec(lines[index + 1] ?? '')?.[1]] : []));
const outputs = lines.flatMap((line) => {
  const match = /^output (\w+) (\w+) = (.+)$/.exec(line);
  return match ? [{ name: match[1], value: match[3] }] : [];
});

/** The `name:` entries of a top-level `var <name> = [` … `]` block (possibly `var x = cond ? [` … `] : []`). */
function settingsOf(variable: string): Array<{ name: string; value: string }> {
  const start = lines.findIndex((line) => line.startsWith(`var ${variable} = `) && line.endsWith('['));
  if (start < 0) throw new Error(`no var ${variable} = [ in main.bicep`);
  const end = lines.findIndex((line, index) => index > start && /^\](?: : \[\])?$/.test(line));
  if (end < 0) throw new Error(`var ${variable} is not closed by a "]" line`);
  const body = lines.slice(start + 1, end);
  const names = body.flatMap((line) => /^ {4}name: '([^']+)'$/.exec(line)?.[1] ?? []);
  const values = body.flatMap((line) => /^ {4}value: (.+)$/.exec(line)?.[1] ?? []);
  if (names.length !== values.length) throw new Error(`var ${variable}: every entry needs one name and one value`);
  return names.map((name, index) => ({ name, value: values[index] }));
}
/** The bot's keys: always written, and the OpenTelemetry ones written only when their parameter is set. */
const botSettings = [...settingsOf('botSettings'), ...settingsOf('otlpEndpointSettings'), ...settingsOf('otlpHeaderSettings'), ...settingsOf('ssoConnectionSettings')];
const platformSettings = [...settingsOf('platformSettings'), ...settingsOf('insightsSettings')];

/** Keys .env.sample says are required with an app id (the comment block right above each `KEY=` line). */
const requiredWithAppId = (() => {
  const sample = readFileSync(join(ROOT, '.env.sample'), 'utf8').split('\n');
  return sample.flatMap((line, index) => {
    const key = /^([A-Za-z_]+)=/.exec(line)?.[1];
    if (key === undefined) return [];
    const comments: string[] = [];
    for (let i = index - 1; i >= 0 && sample[i]?.startsWith('#') === true; i -= 1) comments.unshift(sample[i] ?? '');
    return /required\s+with an app id/i.test(comments.join(' ').replace(/#/g, ' ').replace(/\s+/g, ' ')) ? [key] : [];
  });
})();

const readme = readFileSync(join(ROOT, 'infra', 'README.md'), 'utf8');
/** The first cell of each row of the README table whose header starts with `header`. */
function firstColumn(header: string): string[] {
  const all = readme.split('\n');
  const start = all.findIndex((line) => line.startsWith(`| ${header} |`));
  const rows: string[] = [];
  for (let i = start + 2; start >= 0 && all[i]?.startsWith('|') === true; i += 1) rows.push(all[i] ?? '');
  return rows.map((row) => /^\| `(\w+)` \|/.exec(row)?.[1] ?? `unparsed: ${row}`);
}

/** Brackets balance outside strings and comments ('…' with \' escapes, // to the end of the line). */
function unbalanced(text: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  text.split('\n').forEach((line, index) => {
    const code = line.replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/\/\/.*$/, '');
    if (/'[^']/.test(code.replace(/''/g, ''))) problems.push(`line ${index + 1}: unterminated string`);
    for (const char of code) {
      if ('([{'.includes(char)) stack.push(char);
      else if (char in pairs && stack.pop() !== pairs[char]) problems.push(`line ${index + 1}: unexpected ${char}`);
    }
  });
  return stack.length > 0 ? [...problems, `${stack.length} bracket(s) left open`] : problems;
}

test('the parser finds the template\'s parts (guards the parser itself)', () => {
  expect(unbalanced(bicep)).toEqual([]);
  expect(unbalanced("var x = [\n  { a: 'b)' }\n")).toEqual(['1 bracket(s) left open']);
  expect(params.length).toBeGreaterThanOrEqual(10);
  expect(outputs.length).toBeGreaterThanOrEqual(4);
  expect(botSettings.length).toBeGreaterThanOrEqual(8);
  expect(bicep).toMatch(/^ {6}appSettings: concat\(botSettings, otlpEndpointSettings, otlpHeaderSettings, ssoConnectionSettings, platformSettings, insightsSettings\)$/m);
  expect(bicep.match(/appSettings:/g)).toHaveLength(1);
});

test('every app setting the bot gets is a key bot/config.ts reads, each once', () => {
  for (const { name } of botSettings) expect({ name, known: CONFIG_KEYS.includes(name) }).toEqual({ name, known: true });
  expect(new Set(botSettings.map((s) => s.name)).size).toBe(botSettings.length);
});

test('every other setting is an allow-listed Azure platform setting, none of them a bot key', () => {
  for (const { name } of platformSettings) {
    expect({ name, platform: PLATFORM_SETTINGS.includes(name), botKey: CONFIG_KEYS.includes(name) }).toEqual({ name, platform: true, botKey: false });
  }
});

test('every key .env.sample requires with an app id is set, and the app id itself', () => {
  expect(requiredWithAppId).toEqual(expect.arrayContaining(['MicrosoftAppPassword', 'MicrosoftAppTenantId', 'PUBLIC_BASE_URL']));
  for (const key of ['MicrosoftAppId', ...requiredWithAppId]) expect({ key, set: botSettings.some((s) => s.name === key) }).toEqual({ key, set: true });
});

test('secrets arrive through secure parameters only, each in its own setting and no output; replicas share Blob storage', () => {
  expect(secureParams).toEqual(['microsoftAppPassword', 'otlpHeaders']);
  expect(botSettings.find((s) => s.name === 'MicrosoftAppPassword')?.value).toBe('microsoftAppPassword');
  expect(botSettings.find((s) => s.name === 'OTEL_EXPORTER_OTLP_HEADERS')?.value).toBe('otlpHeaders');
  // No other setting carries a secure parameter, whole or in part.
  for (const { name, value } of [...botSettings, ...platformSettings]) {
    const carries = secureParams.filter((param) => param !== undefined && new RegExp(`\\b${param}\\b`).test(value));
    expect({ name, carries }).toEqual({ name, carries: ({ MicrosoftAppPassword: ['microsoftAppPassword'], OTEL_EXPORTER_OTLP_HEADERS: ['otlpHeaders'] } as Record<string, string[]>)[name] ?? [] });
  }
  expect(botSettings.find((s) => s.name === 'STORAGE_CONNECTION_STRING')?.value).toBe('storageConnectionString');
  expect(outputs.map((o) => o.value).join('\n')).not.toMatch(/password|otlpHeaders|listKeys|storageConnectionString/i);
});

test('OpenTelemetry: the endpoint setting only when one is given, the (secret) headers only with it', () => {
  expect(bicep).toMatch(/^param otlpEndpoint string = ''$/m);
  expect(bicep).toMatch(/^param otlpHeaders string = ''$/m);
  expect(bicep).toMatch(/^var otlpEndpointSettings = !empty\(otlpEndpoint\) \? \[$/m);
  expect(bicep).toMatch(/^var otlpHeaderSettings = !empty\(otlpEndpoint\) && !empty\(otlpHeaders\) \? \[$/m);
  expect(settingsOf('otlpEndpointSettings')).toEqual([{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'otlpEndpoint' }]);
  expect(settingsOf('otlpHeaderSettings')).toEqual([{ name: 'OTEL_EXPORTER_OTLP_HEADERS', value: 'otlpHeaders' }]);
  expect(settingsOf('botSettings').map((s) => s.name)).not.toEqual(expect.arrayContaining(['OTEL_EXPORTER_OTLP_ENDPOINT']));
});

test('the OAuth connection fallback: with ssoConnectionName an Azure AD v2 connection with token exchange, and SSO_MODE=connection naming it', () => {
  expect(bicep).toMatch(/^param ssoConnectionName string = ''$/m);
  expect(bicep).toMatch(/^var ssoConnectionSettings = !empty\(ssoConnectionName\) \? \[$/m);
  expect(settingsOf('ssoConnectionSettings')).toEqual([{ name: 'SSO_MODE', value: "'connection'" }, { name: 'SSO_CONNECTION_NAME', value: 'ssoConnectionName' }]);
  const connection = bicep.slice(bicep.indexOf("resource ssoConnection 'Microsoft.BotService/botServices/connections@"));
  expect(connection).toMatch(/^resource ssoConnection '[^']+' = if \(!empty\(ssoConnectionName\)\) \{$/m);
  for (const line of ['parent: bot', "serviceProviderId: '30dd229c-58e3-4a48-bdfd-91ec48eb906c'", 'clientId: microsoftAppId', 'clientSecret: microsoftAppPassword',
    'scopes: graphDelegatedScopes', "key: 'tokenExchangeUrl'", "value: 'api://botid-${microsoftAppId}'", "key: 'tenantID'", 'value: microsoftAppTenantId']) {
    expect({ line, present: connection.includes(line) }).toEqual({ line, present: true });
  }
  // The connection asks for exactly the delegated permissions the app registration requests.
  const permissions = JSON.parse(readFileSync(join(ROOT, 'infra', 'graph-permissions.json'), 'utf8')) as { permissions: Array<{ name: string; type: string }> };
  const scopes = /^var graphDelegatedScopes = '([^']+)'$/m.exec(bicep)?.[1]?.split(' ') ?? [];
  expect(scopes.sort()).toEqual(permissions.permissions.filter((p) => p.type === 'Scope').map((p) => p.name).sort());
});

test('the web app has a system-assigned identity (for Key Vault references), its principal id an output', () => {
  expect(bicep).toMatch(/^ {2}identity: \{\n {4}type: 'SystemAssigned'\n {2}\}$/m);
  expect(outputs).toEqual(expect.arrayContaining([{ name: 'webAppPrincipalId', value: 'webApp.identity.principalId' }]));
});

test('the web app: Linux, Node 22 LTS, HTTPS only, Always On, readiness as its health check', () => {
  for (const line of ["linuxFxVersion: 'NODE|22-lts'", 'httpsOnly: true', 'alwaysOn: true', "healthCheckPath: '/healthz/ready'", "kind: 'app,linux'"]) {
    expect({ line, present: bicep.includes(line) }).toEqual({ line, present: true });
  }
});

test('the Azure Bot: single tenant, the app id, /api/messages on the public host, the Teams channel', () => {
  for (const line of ["kind: 'azurebot'", "msaAppType: 'SingleTenant'", 'msaAppId: microsoftAppId', 'msaAppTenantId: microsoftAppTenantId',
    'endpoint: messagingEndpoint', "channelName: 'MsTeamsChannel'", "var messagingEndpoint = '${publicBaseUrl}/api/messages'"]) {
    expect({ line, present: bicep.includes(line) }).toEqual({ line, present: true });
  }
  expect(botSettings.find((s) => s.name === 'PUBLIC_BASE_URL')?.value).toBe('publicBaseUrl');
});

test('the outputs the deployment needs', () => {
  expect(outputs.map((o) => o.name)).toEqual(expect.arrayContaining(['webAppHostName', 'messagingEndpoint', 'publicBaseUrl', 'botResourceName', 'webAppPrincipalId']));
});

test('infra/README.md lists every parameter and every output, and nothing the template lacks', () => {
  expect(firstColumn('Parameter').sort()).toEqual(params.map((p) => p.name).sort());
  expect(firstColumn('Output').sort()).toEqual(outputs.map((o) => o.name).sort());
  for (const { name } of [...botSettings, ...platformSettings]) expect({ name, documented: readme.includes(`\`${name}\``) }).toEqual({ name, documented: true });
});

test('main.parameters.json names only parameters of the template and holds no secret', () => {
  const file = JSON.parse(readFileSync(join(ROOT, 'infra', 'main.parameters.json'), 'utf8')) as { parameters: Record<string, unknown> };
  const names = params.map((p) => p.name);
  for (const key of Object.keys(file.parameters)) expect({ key, known: names.includes(key) }).toEqual({ key, known: true });
  for (const secure of secureParams) expect(Object.keys(file.parameters)).not.toContain(secure);
});
