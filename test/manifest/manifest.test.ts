import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { loadConfig } from '../../bot/config';
import { parseCommand } from '../../bot/commands/commandParser';
import { commandNamed, isAvailable, type Scope } from '../../bot/commands';
import { ICONS, renderIcon, type IconKind } from '../../manifest/makeIcons';
import {
  MANIFEST_DIR, ManifestError, PACKAGE_ENTRIES, checkIcons, checkManifest, fillTemplate, packageApp, pngInfo, valuesFromConfig,
  type ManifestJson, type TemplateValues,
} from '../../manifest/package';

/** The Teams app manifest: the filled template passes the official schema offline and matches what the bot does. */

// @microsoft/app-manifest 1.1.2 requires strip-bom 5, which is ESM only: Node 20.19+ loads it (npm run
// package-manifest), jest's module loader does not. Schema validation never calls it (only the library's file
// readers do), so jest gets a CommonJS stand-in for that one nested module.
jest.mock(require.resolve('strip-bom', { paths: [require.resolve('@microsoft/app-manifest/package.json')] }), () => ({
  __esModule: true,
  default: (text: string): string => text.replace(/^\uFEFF/, ''),
}));

const APP_ID = '33333333-3333-4333-8333-333333333333';
const SAMPLE: TemplateValues = { APP_ID, BOT_DOMAIN: 'bot.contoso.example', VERSION: '1.2.3' };
/** Manifest scope → the bot's conversation scope (bot/commands). */
const BOT_SCOPE: Readonly<Record<string, Scope>> = { personal: 'personal', team: 'channel', groupChat: 'groupChat' };

let template: string;
let fetchSpy: jest.SpyInstance;

const fill = (values: TemplateValues = SAMPLE): ManifestJson => JSON.parse(fillTemplate(template, values)) as ManifestJson;
const listFor = (manifest: ManifestJson, scope: string) => manifest.bots?.[0]?.commandLists?.find((l) => l.scopes?.includes(scope));
const titles = (manifest: ManifestJson, scope: string): string[] => (listFor(manifest, scope)?.commands ?? []).map((c) => c.title ?? '');

beforeAll(async () => {
  template = await readFile(join(MANIFEST_DIR, 'manifest.template.json'), 'utf8');
  // Validation must use the schemas bundled with @microsoft/app-manifest: any fetch fails the test.
  fetchSpy = jest.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in tests'));
});
afterAll(() => {
  expect(fetchSpy).not.toHaveBeenCalled();
  fetchSpy.mockRestore();
});

describe('template', () => {
  it('filled with sample values validates against the official v1.22 schema, offline', async () => {
    const manifest = fill();
    expect(manifest.manifestVersion).toBe('1.22');
    expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json');
    await expect(AppManifestUtils.validateAgainstSchema(manifest as AppManifest)).resolves.toEqual([]);
    expect(checkManifest(manifest)).toEqual([]);
  });

  it('the schema validation really checks: a broken manifest gets errors', async () => {
    const manifest = { ...fill(), accentColor: 'blue', id: 'not-a-guid' };
    const errors = await AppManifestUtils.validateAgainstSchema(manifest as AppManifest);
    expect(errors.join('\n')).toMatch(/accentColor/);
    expect(errors.join('\n')).toMatch(/\/id/);
  });

  it('leaves no ${{ placeholder and escapes values as JSON', () => {
    const text = fillTemplate(template, SAMPLE);
    expect(text).not.toContain('${{');
    expect(JSON.parse(fillTemplate('{"a":"${{VERSION}}"}', { ...SAMPLE, VERSION: 'x"y' }))).toEqual({ a: 'x"y' });
    expect(() => fillTemplate('{"a":"${{NOPE}}"}', SAMPLE)).toThrow(/NOPE/);
  });

  it('uses the app id, the bot domain and api://botid-<appId> by default', () => {
    const manifest = fill();
    expect(manifest.bots?.[0]?.botId).toBe(APP_ID);
    expect(manifest.webApplicationInfo).toEqual({ id: APP_ID, resource: `api://botid-${APP_ID}` });
    expect(manifest.validDomains).toEqual(['bot.contoso.example']);
    const custom = fill({ ...SAMPLE, APP_ID_URI: `api://bot.contoso.example/botid-${APP_ID}` });
    expect(custom.webApplicationInfo?.resource).toBe(`api://bot.contoso.example/botid-${APP_ID}`);
  });

  it('declares one bot in personal, team and group chat, with files (export\'s consent card needs them), with one command list per scope', () => {
    const manifest = fill();
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots?.[0]).toMatchObject({ scopes: ['personal', 'team', 'groupChat'], supportsFiles: true });
    expect(manifest.bots?.[0]?.commandLists?.map((l) => l.scopes)).toEqual([['personal'], ['team'], ['groupChat']]);
  });
});

describe('command menu', () => {
  const lists = () => fill().bots?.[0]?.commandLists ?? [];

  it('lists only commands the bot understands, each in scopes where the bot accepts it', () => {
    for (const list of lists()) {
      for (const { title } of list.commands ?? []) {
        const parsed = parseCommand(title ?? '');
        expect({ title, kind: parsed.kind }).toEqual({ title, kind: 'command' });
        if (parsed.kind !== 'command') continue;
        expect(parsed.args).toBe('');
        // The menu advertises only what this version does (the rest answers 'not available yet').
        expect({ title, implemented: isAvailable(commandNamed(parsed.name)) }).toEqual({ title, implemented: true });
        for (const scope of list.scopes ?? []) {
          expect({ title, scope, ok: commandNamed(parsed.name).scopes.includes(BOT_SCOPE[scope] ?? 'personal') }).toEqual({ title, scope, ok: true });
        }
      }
    }
  });

  it('keeps within the Teams limit of 10 commands per list for manifest 1.22, with descriptions', () => {
    for (const list of lists()) {
      expect((list.commands ?? []).length).toBeLessThanOrEqual(10);
      for (const command of list.commands ?? []) expect(command.description?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('has the main commands this version does, where they belong (sign out only in chats)', () => {
    const manifest = fill();
    expect(titles(manifest, 'personal')).toEqual(expect.arrayContaining(['help', 'reviews', 'sign out']));
    expect(titles(manifest, 'groupChat')).toEqual(expect.arrayContaining(['help', 'reviews', 'sign out']));
    expect(titles(manifest, 'team')).toEqual(expect.arrayContaining(['help', 'reviews']));
    expect(titles(manifest, 'team')).not.toContain('sign out');
  });
});

describe('checkManifest', () => {
  it('names the Teams rules the schema does not check', () => {
    const manifest = fill();
    const bot = manifest.bots?.[0];
    const many = Array.from({ length: 11 }, (_, i) => ({ title: `c${i}`, description: 'd' }));
    const broken: ManifestJson = {
      ...manifest,
      bots: [{ ...bot, commandLists: [{ scopes: ['personal'], commands: many }, { scopes: ['personal', 'copilot'], commands: [{ title: 'a', description: 'd' }, { title: 'A', description: 'd' }] }] }],
      validDomains: ['https://bot.contoso.example', 'bot.contoso.example:443', 'localhost'],
      webApplicationInfo: { id: APP_ID, resource: 'api://botid-44444444-4444-4444-8444-444444444444' },
    };
    const problems = checkManifest(broken).join('\n');
    expect(problems).toMatch(/11 commands, Teams shows at most 10/);
    expect(problems).toMatch(/scope personal already has a command list/);
    expect(problems).toMatch(/scope copilot is not one of the bot's scopes/);
    expect(problems).toMatch(/duplicate command title/);
    expect(problems).toMatch(/no scheme/);
    expect(problems).toMatch(/no port/);
    expect(problems).toMatch(/not a public domain/);
    expect(problems).toMatch(/names another app than the bot/);
    expect(checkManifest({ ...manifest, manifestVersion: '1.25', bots: [{ ...bot, commandLists: [{ scopes: ['personal'], commands: many }] }] })).toEqual([]);
  });
});

describe('icons', () => {
  const read = (kind: IconKind): Promise<Buffer> => readFile(join(MANIFEST_DIR, ICONS[kind].file));

  it('have the pixel sizes Teams needs: color 192×192, outline 32×32 with transparency', async () => {
    const [color, outline] = [await read('color'), await read('outline')];
    expect(pngInfo(color)).toMatchObject({ width: 192, height: 192 });
    expect(pngInfo(outline)).toMatchObject({ width: 32, height: 32, colorType: 6 });
    expect(checkIcons(color, outline)).toEqual([]);
    expect(checkIcons(outline, color).join('\n')).toMatch(/color\.png: 32×32 pixels, Teams needs 192×192/);
    expect(checkIcons(Buffer.from('nope'), outline)).toEqual(['color.png: not a PNG file']);
  });

  it('are what makeIcons draws (regenerate with node --import tsx manifest/makeIcons.ts); the outline is white only', async () => {
    for (const kind of ['color', 'outline'] as const) {
      const png = await read(kind);
      const idat: Buffer[] = [];
      for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) {
        if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + png.readUInt32BE(at)));
      }
      const raw = inflateSync(Buffer.concat(idat));
      const { width, height, rgba } = renderIcon(kind);
      const rows = Array.from({ length: height }, (_, y) => raw.subarray(y * (width * 4 + 1), (y + 1) * (width * 4 + 1)));
      expect(rows.every((row) => row[0] === 0)).toBe(true);
      expect(Buffer.concat(rows.map((row) => row.subarray(1))).equals(rgba)).toBe(true);
      if (kind === 'outline') {
        for (let i = 0; i < rgba.length; i += 4) if ((rgba[i + 3] ?? 0) > 0) expect([rgba[i], rgba[i + 1], rgba[i + 2]]).toEqual([255, 255, 255]);
      }
    }
  });
});

describe('packaging', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'manifest-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('writes a zip whose entries are exactly manifest.json, color.png and outline.png', async () => {
    const { outFile } = await packageApp(SAMPLE, join(dir, 'out', 'appPackage.zip'));
    const zip = await JSZip.loadAsync(await readFile(outFile));
    expect(Object.keys(zip.files).sort()).toEqual([...PACKAGE_ENTRIES].sort());
    const manifestText = await zip.file('manifest.json')?.async('string');
    expect(JSON.parse(manifestText ?? '{}')).toEqual(fill());
    expect((await zip.file('color.png')?.async('nodebuffer'))?.equals(await readFile(join(MANIFEST_DIR, 'color.png')))).toBe(true);
    expect((await zip.file('outline.png')?.async('nodebuffer'))?.equals(await readFile(join(MANIFEST_DIR, 'outline.png')))).toBe(true);
  });

  it('refuses to write a package with problems and lists them', async () => {
    const promise = packageApp({ ...SAMPLE, APP_ID: 'not-a-guid' }, join(dir, 'appPackage.zip'));
    await expect(promise).rejects.toBeInstanceOf(ManifestError);
    await expect(promise).rejects.toThrow(/schema: \/id/);
    await expect(readFile(join(dir, 'appPackage.zip'))).rejects.toThrow(/ENOENT/);
  });

  it('takes its values from the bot configuration and needs MicrosoftAppId and a public https URL', () => {
    const env = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppTenantId: '11111111-1111-4111-8111-111111111111', PUBLIC_BASE_URL: 'https://bot.contoso.example/' };
    expect(valuesFromConfig(loadConfig(env), '0.1.0')).toEqual({
      APP_ID, BOT_DOMAIN: 'bot.contoso.example', VERSION: '0.1.0', APP_ID_URI: `api://botid-${APP_ID}`, PUBLIC_BASE_URL: 'https://bot.contoso.example',
    });
    expect(valuesFromConfig(loadConfig({ ...env, SSO_APP_ID_URI: 'api://x/botid-1' }), '1.0.0').APP_ID_URI).toBe('api://x/botid-1');
    expect(() => valuesFromConfig(loadConfig({}), '0.1.0')).toThrow(/MicrosoftAppId is not set/);
    expect(() => valuesFromConfig(loadConfig({ ...env, PUBLIC_BASE_URL: undefined }), '0.1.0')).toThrow(/PUBLIC_BASE_URL/);
  });
});
