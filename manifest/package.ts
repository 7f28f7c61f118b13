import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { TOKEN_SERVICE_HOSTS, type AppConfig } from '../bot/config';
import { ICONS } from './makeIcons';
import { commandLists } from './commandMenu';

/**
 * `npm run package-manifest`: fills manifest.template.json from the bot's configuration, validates it offline
 * against the official schema plus the Teams rules the schema does not express, and writes
 * dist/appPackage.zip (manifest.json, color.png, outline.png at the root) for upload to Teams.
 */

/**
 * Values of the template's `${{NAME}}` placeholders; APP_ID_URI defaults to `api://botid-<APP_ID>`, PUBLIC_BASE_URL
 * (where the bot serves /privacy and /terms) to `https://<BOT_DOMAIN>`.
 */
export interface TemplateValues {
  APP_ID: string;
  BOT_DOMAIN: string;
  VERSION: string;
  APP_ID_URI?: string;
  PUBLIC_BASE_URL?: string;
  /**
   * Domains the app's pages may open besides the bot's own: with SSO_MODE=connection the Bot Framework token
   * service's host, whose sign-in link the cards carry (Teams opens it only for a valid domain).
   */
  SIGN_IN_DOMAINS?: string[];
}

/** The parts of a Teams manifest that checkManifest reads (the schema checks the rest). */
export interface ManifestJson {
  $schema?: string;
  manifestVersion?: string;
  icons?: { color?: string; outline?: string };
  bots?: Array<{
    botId?: string;
    scopes?: string[];
    commandLists?: Array<{ scopes?: string[]; commands?: Array<{ title?: string; description?: string }> }>;
  }>;
  validDomains?: string[];
  webApplicationInfo?: { id?: string; resource?: string };
  developer?: { websiteUrl?: string; privacyUrl?: string; termsOfUseUrl?: string };
}

/** Raised when the manifest or the icons break a rule; `problems` lists every one. */
export class ManifestError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The Teams app manifest has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

/** The folder holding the template and the icons. */
export const MANIFEST_DIR = __dirname;
/** The files at the root of the app package, in this order. */
export const PACKAGE_ENTRIES = ['manifest.json', ICONS.color.file, ICONS.outline.file] as const;

const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
/** Fixed timestamp for zip entries, so the same inputs give the same bytes. */
const ZIP_DATE = new Date('2026-01-01T00:00:00Z');

/** Replaces every `${{NAME}}` in the template text (JSON-escaped); throws naming any placeholder without a value. */
export function fillTemplate(template: string, values: TemplateValues): string {
  const all: Record<string, string> = { APP_ID_URI: `api://botid-${values.APP_ID}`, PUBLIC_BASE_URL: `https://${values.BOT_DOMAIN}` };
  for (const [key, value] of Object.entries(values)) if (typeof value === 'string') all[key] = value;
  const extraDomains = (values.SIGN_IN_DOMAINS ?? []).filter((domain) => domain !== values.BOT_DOMAIN);
  const missing = new Set<string>();
  const filled = template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = all[name];
    if (value === undefined) {
      missing.add(name);
      return whole;
    }
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) throw new Error(`No value for template placeholder(s): ${[...missing].join(', ')}`);
  // The command menu comes from the bot's command catalogue, so it lists exactly what the bot does, where it does it.
  const manifest = JSON.parse(filled) as ManifestJson;
  for (const bot of manifest.bots ?? []) bot.commandLists = commandLists();
  if (extraDomains.length > 0) manifest.validDomains = [...new Set([...(manifest.validDomains ?? []), ...extraDomains])];
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Most commands Teams shows per command list: 10 up to manifest 1.24, 12 from 1.25. */
export function commandLimit(manifestVersion: string | undefined): number {
  const minor = /^1\.(\d+)$/.exec(manifestVersion ?? '')?.[1];
  return minor !== undefined && Number(minor) < 25 ? 10 : 12;
}

/** Teams rules the schema leaves out: command lists, scopes, SSO ids, bare domains, unfilled placeholders. */
export function checkManifest(manifest: ManifestJson): string[] {
  const problems: string[] = [];
  if (JSON.stringify(manifest).includes('${{')) problems.push('unfilled ${{…}} placeholder left in the manifest');
  const limit = commandLimit(manifest.manifestVersion);
  const bots = manifest.bots ?? [];
  if (bots.length !== 1) problems.push(`bots: expected exactly one bot, found ${bots.length}`);
  bots.forEach((bot, b) => {
    const seen = new Set<string>();
    (bot.commandLists ?? []).forEach((list, l) => {
      const where = `bots[${b}].commandLists[${l}]`;
      const commands = list.commands ?? [];
      if (commands.length > limit) problems.push(`${where}: ${commands.length} commands, Teams shows at most ${limit} for manifest ${manifest.manifestVersion ?? '?'}`);
      const titles = commands.map((c) => (c.title ?? '').trim().toLowerCase());
      const twice = titles.filter((t, i) => titles.indexOf(t) !== i);
      if (twice.length > 0) problems.push(`${where}: duplicate command title(s) ${[...new Set(twice)].join(', ')}`);
      if (titles.some((t) => t === '')) problems.push(`${where}: a command has an empty title`);
      for (const scope of list.scopes ?? []) {
        if (!(bot.scopes ?? []).includes(scope)) problems.push(`${where}: scope ${scope} is not one of the bot's scopes`);
        if (seen.has(scope)) problems.push(`${where}: scope ${scope} already has a command list`);
        seen.add(scope);
      }
    });
  });
  (manifest.validDomains ?? []).forEach((domain, i) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(domain)) problems.push(`validDomains[${i}] "${domain}": no scheme (https://) allowed`);
    else if (/:\d+$/.test(domain)) problems.push(`validDomains[${i}] "${domain}": no port allowed`);
    else if (domain.includes('/')) problems.push(`validDomains[${i}] "${domain}": a domain only, no path`);
    if (/^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/i.test(domain)) problems.push(`validDomains[${i}] "${domain}": not a public domain`);
  });
  const app = manifest.webApplicationInfo;
  const botId = bots[0]?.botId;
  if (app !== undefined && botId !== undefined) {
    if (app.id !== botId) problems.push(`webApplicationInfo.id ${app.id ?? '(none)'} is not the bot's id ${botId} (Teams bot SSO uses the bot's Entra app)`);
    const named = /^api:\/\/(?:[^/]+\/)?botid-(.+)$/.exec(app.resource ?? '')?.[1];
    if (named !== undefined && named !== botId) problems.push(`webApplicationInfo.resource ${app.resource ?? ''} names another app than the bot ${botId} (Teams bot SSO needs api://botid-${botId})`);
  }
  // The bot serves both pages itself (bot/http/legalPages.ts): they must be its own https address.
  for (const [field, page] of [['privacyUrl', '/privacy'], ['termsOfUseUrl', '/terms']] as const) {
    const value = manifest.developer?.[field] ?? '';
    const parsed = URL.canParse(value) ? new URL(value) : undefined;
    if (!parsed || parsed.protocol !== 'https:' || !(manifest.validDomains ?? []).includes(parsed.hostname) || !parsed.pathname.endsWith(page)) {
      problems.push(`developer.${field} "${value}": expected the bot's own https://<bot domain>…${page}, which the bot serves`);
    }
  }
  const { color, outline } = manifest.icons ?? {};
  if (color !== ICONS.color.file || outline !== ICONS.outline.file) {
    problems.push(`icons: expected color "${ICONS.color.file}" and outline "${ICONS.outline.file}" at the package root`);
  }
  return problems;
}

/** Width, height and colour type from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
export function pngInfo(png: Buffer): { width: number; height: number; colorType: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 33 || !png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25] ?? -1 };
}

/** Icon rules from the PNG headers: colour 192×192, outline 32×32 with transparency. */
export function checkIcons(color: Buffer, outline: Buffer): string[] {
  const problems: string[] = [];
  for (const [kind, png] of [['color', color], ['outline', outline]] as const) {
    const { file, size } = ICONS[kind];
    const info = pngInfo(png);
    if (info === undefined) problems.push(`${file}: not a PNG file`);
    else if (info.width !== size || info.height !== size) problems.push(`${file}: ${info.width}×${info.height} pixels, Teams needs ${size}×${size}`);
    else if (kind === 'outline' && info.colorType !== 4 && info.colorType !== 6 && !png.includes('tRNS')) {
      problems.push(`${file}: needs a transparent background (white on transparent)`);
    }
  }
  return problems;
}

/** Everything wrong with a manifest and its icons: the official schema (offline), then checkManifest and checkIcons. */
export async function validatePackage(manifest: ManifestJson, color: Buffer, outline: Buffer): Promise<string[]> {
  const schema = (await AppManifestUtils.validateAgainstSchema(manifest as AppManifest)).map((e) => `schema: ${e.trim()}`);
  return [...schema, ...checkManifest(manifest), ...checkIcons(color, outline)];
}

/** Template values from the bot's configuration; throws a plain message when MicrosoftAppId or a public https URL is missing. */
export function valuesFromConfig(config: AppConfig, version: string): TemplateValues {
  if (config.localMode || config.bot.appId === '') {
    throw new Error('MicrosoftAppId is not set: the Teams app package needs the bot\'s Entra app id (MicrosoftAppId=<guid>).');
  }
  const base = new URL(config.publicBaseUrl);
  if (base.protocol !== 'https:' || /^(localhost|127\.)/.test(base.hostname)) {
    throw new Error(`PUBLIC_BASE_URL must be the bot's public https address (now ${config.publicBaseUrl}).`);
  }
  return {
    APP_ID: config.bot.appId, BOT_DOMAIN: base.hostname, VERSION: version, APP_ID_URI: config.sso.appIdUri, PUBLIC_BASE_URL: config.publicBaseUrl,
    ...(config.sso.mode === 'connection' ? { SIGN_IN_DOMAINS: [new URL(config.sso.tokenServiceUrl).hostname] } : {}),
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What `npm run package-manifest` needs, from the environment and nothing more: the app id, the public address
 * and (optionally) the SSO Application ID URI. Packaging the manifest needs no secret and no certificate, so it
 * does not go through loadConfig (which would insist on them); every problem is named in one error.
 */
export function valuesFromEnv(env: NodeJS.ProcessEnv, version: string): TemplateValues {
  const get = (key: string): string | undefined => (env[key]?.trim() === '' ? undefined : env[key]?.trim());
  const problems: string[] = [];
  const appId = get('MicrosoftAppId');
  if (appId === undefined) problems.push('MicrosoftAppId is not set: the Teams app package needs the bot\'s Entra app id (MicrosoftAppId=<guid>)');
  else if (!GUID.test(appId)) problems.push('MicrosoftAppId must be the bot\'s Entra app id, a GUID');
  const baseText = get('PUBLIC_BASE_URL');
  const base = baseText !== undefined && URL.canParse(baseText) ? new URL(baseText) : undefined;
  const publicHttps = base !== undefined && base.protocol === 'https:' && !/^(localhost|127\.|\[::1\])/.test(base.hostname) &&
    base.username === '' && base.password === '' && base.search === '' && base.hash === '' && base.port === '';
  if (!publicHttps) problems.push('PUBLIC_BASE_URL must be the bot\'s public https address (https://<bot domain>, no port, credentials, query or fragment)');
  const appIdUri = get('SSO_APP_ID_URI');
  if (appIdUri !== undefined && !appIdUri.startsWith('api://')) problems.push('SSO_APP_ID_URI must be the Application ID URI (api://…)');
  // SSO_MODE=connection: the cards' sign-in link is the token service's, so its host must be a valid domain.
  const tokenService = get('SSO_TOKEN_SERVICE_URL') ?? 'https://token.botframework.com';
  const tokenHost = URL.canParse(tokenService) ? new URL(tokenService).hostname : '';
  if (get('SSO_MODE') === 'connection' && !TOKEN_SERVICE_HOSTS.includes(tokenHost)) {
    problems.push(`SSO_TOKEN_SERVICE_URL must be the Bot Framework token service (https://<host>, <host> one of ${TOKEN_SERVICE_HOSTS.join(', ')})`);
  }
  if (problems.length > 0 || appId === undefined || base === undefined) throw new Error(problems.join('; '));
  return {
    APP_ID: appId, BOT_DOMAIN: base.hostname, VERSION: version, APP_ID_URI: appIdUri ?? `api://botid-${appId}`,
    PUBLIC_BASE_URL: `${base.origin}${base.pathname}`.replace(/\/$/, ''),
    ...(get('SSO_MODE') === 'connection' ? { SIGN_IN_DOMAINS: [tokenHost] } : {}),
  };
}

/** Fills, validates and zips the app package into `outFile`; throws ManifestError listing every problem. */
export async function packageApp(values: TemplateValues, outFile: string, sourceDir: string = MANIFEST_DIR): Promise<{ outFile: string; manifest: ManifestJson }> {
  const template = await readFile(join(sourceDir, 'manifest.template.json'), 'utf8');
  const parsed: unknown = JSON.parse(fillTemplate(template, values));
  const manifest = parsed as ManifestJson;
  const [color, outline] = await Promise.all([readFile(join(sourceDir, ICONS.color.file)), readFile(join(sourceDir, ICONS.outline.file))]);
  const problems = await validatePackage(manifest, color, outline);
  if (problems.length > 0) throw new ManifestError(problems);
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date: ZIP_DATE });
  zip.file(ICONS.color.file, color, { date: ZIP_DATE });
  zip.file(ICONS.outline.file, outline, { date: ZIP_DATE });
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, bytes);
  return { outFile, manifest };
}

async function main(): Promise<void> {
  const root = resolve(MANIFEST_DIR, '..');
  const pkg: unknown = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : '1.0.0';
  const values = valuesFromEnv(process.env, version);
  // An output path may be given (`npm run package-manifest -- out.zip`); default dist/appPackage.zip.
  const { outFile, manifest } = await packageApp(values, process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist', 'appPackage.zip'));
  process.stdout.write(
    `Wrote ${outFile}\n  manifest ${manifest.manifestVersion ?? '?'} (validated offline), app version ${values.VERSION}\n` +
    `  bot ${values.APP_ID}, valid domain ${values.BOT_DOMAIN}, SSO resource ${manifest.webApplicationInfo?.resource ?? '?'}\n` +
    `  privacy ${manifest.developer?.privacyUrl ?? '?'}, terms ${manifest.developer?.termsOfUseUrl ?? '?'} (served by the bot from manifest/privacy.md, terms.md)\n` +
    `  entries: ${PACKAGE_ENTRIES.join(', ')}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`package-manifest: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
