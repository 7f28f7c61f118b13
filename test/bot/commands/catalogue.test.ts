import { notYetFeature } from '../../../bot/features/notYet';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHelpCard } from '../../../cards';
import { ALL_VERBS, REVIEW_ACTION_CANCEL, REVIEW_ACTION_CONFIRM, REVIEW_CANCEL, REVIEW_CHANGE, REVIEW_CREATE, REVIEW_EDIT_CANCEL, REVIEW_EDIT_CONFIRM } from '../../../cards/verbs';
import { parseCommand } from '../../../bot/commands/commandParser';
import { COMMANDS, commandForVerb, commandNamed, helpGroups, isAvailable, MANIFEST_SCOPES, menuFor, type Scope } from '../../../bot/commands';
import { HELP_GROUPS } from '../../../bot/commands/command';
import { commandLists } from '../../../manifest/commandMenu';
import { fillTemplate, MANIFEST_DIR, type ManifestJson } from '../../../manifest/package';
import { ofType } from '../../cards/cardNodes';

/** The command catalogue is the one list of commands: parser, help, menu and verbs agree with it, scope by scope. */

// manifest/package.ts loads @microsoft/app-manifest, whose strip-bom 5 is ESM only (traps.md): a CommonJS stand-in.
jest.mock(require.resolve('strip-bom', { paths: [require.resolve('@microsoft/app-manifest/package.json')] }), () => ({
  __esModule: true,
  default: (text: string): string => text.replace(/^\uFEFF/, ''),
}));

const SCOPES: readonly Scope[] = ['personal', 'groupChat', 'channel'];
const helpRows = (scope: Scope): string[] =>
  ofType(renderHelpCard({ scope, groups: helpGroups(scope) }), 'TextRun').filter((run) => run.fontType === 'Monospace').map((run) => String(run.text));

test('names and phrases are unique, phrases lower case, every command has help, a group and at least one scope', () => {
  expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  const phrases = COMMANDS.flatMap((c) => c.phrases);
  expect(new Set(phrases).size).toBe(phrases.length);
  for (const command of COMMANDS) {
    for (const phrase of command.phrases) expect(phrase).toBe(phrase.toLowerCase());
    expect(command.usage.startsWith(command.phrases[0] ?? '?')).toBe(true);
    expect(HELP_GROUPS).toContain(command.help.group);
    expect(command.scopes.length).toBeGreaterThan(0);
    // Every phrase parses back to its command.
    for (const phrase of command.phrases) expect(parseCommand(phrase)).toEqual({ kind: 'command', name: command.name, args: '' });
  }
});

describe.each(SCOPES)('in %s, help, the command menu and the catalogue agree', (scope) => {
  const available = COMMANDS.filter((c) => isAvailable(c) && c.scopes.includes(scope));

  test('the help card lists exactly the available commands of this scope, grouped in order', () => {
    const inGroupOrder = HELP_GROUPS.flatMap((group) => available.filter((c) => c.help.group === group));
    expect(helpRows(scope)).toEqual(inGroupOrder.map((c) => c.usage));
  });

  test('the manifest menu lists only available commands of this scope, each one a bare phrase', () => {
    const manifestScope = MANIFEST_SCOPES.find((entry) => entry.scope === scope)?.manifest ?? '';
    const template = readFileSync(join(MANIFEST_DIR, 'manifest.template.json'), 'utf8');
    const manifest = JSON.parse(fillTemplate(template, { APP_ID: '33333333-3333-4333-8333-333333333333', BOT_DOMAIN: 'bot.example', VERSION: '1.0.0' })) as ManifestJson;
    const list = manifest.bots?.[0]?.commandLists?.find((l) => l.scopes?.includes(manifestScope));
    expect(list?.commands).toEqual(menuFor(scope));
    for (const { title } of list?.commands ?? []) {
      const parsed = parseCommand(title ?? '');
      expect(parsed.kind === 'command' && parsed.args === '' && available.some((c) => c.name === parsed.name)).toBe(true);
    }
    expect(menuFor(scope).length).toBeLessThanOrEqual(10);
  });
});

test('the manifest has one command list per bot scope, computed from the catalogue', () => {
  expect(commandLists().map((list) => list.scopes)).toEqual([['personal'], ['team'], ['groupChat']]);
});

test('where commands work follows the product spec (export and decisions personal only, digests channel only, no sign out in channels)', () => {
  expect(commandNamed('export').scopes).toEqual(['personal']);
  expect(commandNamed('decisions').scopes).toEqual(['personal']);
  for (const name of ['subscribe', 'unsubscribe', 'subscriptions']) expect(commandNamed(name).scopes).toEqual(['channel']);
  expect(commandNamed('signOut').scopes).not.toContain('channel');
});

test('every command of the catalogue works in this version; a planned one would answer "not available yet" and stay out of help and menu', async () => {
  expect(COMMANDS.filter((c) => !isAvailable(c)).map((c) => c.name)).toEqual([]);
  expect(await notYetFeature('decide').run({ scope: 'personal', args: '' } as never))
    .toEqual({ text: '`decide` is not available in this version yet. Type `help` to see what I can do now.' });
});

test('every card verb belongs to one command or to the creation card handlers', () => {
  const handlerVerbs: string[] = [REVIEW_CREATE, REVIEW_CHANGE, REVIEW_CANCEL, REVIEW_ACTION_CONFIRM, REVIEW_ACTION_CANCEL, REVIEW_EDIT_CONFIRM, REVIEW_EDIT_CANCEL];
  for (const verb of ALL_VERBS) {
    const owners = COMMANDS.filter((c) => c.verbs?.includes(verb)).length + (handlerVerbs.includes(verb) ? 1 : 0);
    expect({ verb, owners }).toEqual({ verb, owners: 1 });
  }
  expect(commandForVerb(REVIEW_CREATE)).toBeUndefined();
});
