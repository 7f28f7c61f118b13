import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import fc from 'fast-check';
import { findDefinitionsByName, listDefinitions } from '../../bot/graph/accessReviews';
import { findUsersByEmail, getGroupNames, isInGroup, searchGroups } from '../../bot/graph/directory';
import { odataFilter, odataString } from '../../bot/graph/odata';
import { openDatabase } from '../../dev/graph/store/db';
import { DirectoryStore } from '../../dev/graph/store/directoryStore';
import { BOT_APP_ID, TENANT_ID, USER } from '../../dev/tenant/tenant';
import { startBot, type BotProcess } from '../support/botProcess';
import { startLocalTenant, type LocalTenant } from '../support/localTenant';
import { personalChatId, TeamsClient, USERS, type SentActivity } from '../support/teamsClient';

/**
 * Issue 7, item 7: every `$filter` the bot sends is one percent-encoded option whose string literals hold the
 * user's text as data. graph-client 3.0.7 puts `.filter()` values into the URL verbatim, so `&` started a new
 * option, `#` cut the rest off, `+` became a space and `%27` a quote that closed the literal.
 */

/** The wire view of what the Graph client sends: the URL as fetch would parse it (fragment dropped). */
interface Sent { url: URL; params: Array<[string, string]> }

/** A Graph client whose only middleware records each request and answers `answer`. */
function capturingClient(answer: unknown = { value: [] }): { client: Client; sent: Sent[] } {
  const sent: Sent[] = [];
  const middleware: Middleware = {
    execute: (context: Context): Promise<void> => {
      const url = new URL(typeof context.request === 'string' ? context.request : context.request.url);
      sent.push({ url, params: [...url.searchParams.entries()] });
      context.response = new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
      return Promise.resolve();
    },
  };
  return { client: Client.initWithMiddleware({ middleware, baseUrl: 'https://graph.example.test/', defaultVersion: 'v1.0' }), sent };
}

/** The OData literal of `text` written by hand: quotes doubled, lone surrogates (not encodable) as U+FFFD. */
const literal = (text: string): string =>
  `'${text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD').replace(/'/g, "''")}'`;

/** Any text a user could type, with the URL's and OData's special characters much more often than chance. */
const userText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom("'", '&', '#', '%', '+', '%27', '%26', '=', '?', '/', ' ', ')', '(', ',', '\\', '"', 'a', 'é', '😀', '\n'), { maxLength: 12 })
    .map((parts) => parts.join('')),
);

describe('odataFilter / odataString: one helper for literals and the encoded option', () => {
  test("property: decoding the option gives back displayName eq '<text, quotes doubled>' and nothing else", () => {
    fc.assert(fc.property(userText, (text) => {
      const option = odataFilter`displayName eq ${text}`;
      // Only characters that mean nothing in a query string are left unencoded.
      expect(option).toMatch(/^[A-Za-z0-9\-_.!~*'()%]*$/);
      expect(decodeURIComponent(option)).toBe(`displayName eq ${literal(text)}`);
      const query = new URLSearchParams(`$filter=${option}`);
      expect([...query.entries()]).toEqual([['$filter', `displayName eq ${literal(text)}`]]);
    }), { numRuns: 1000 });
  });

  test('lists become comma-separated literals; the template text stays as written', () => {
    expect(decodeURIComponent(odataFilter`id in (${['a', "b'c"]}) and x eq ${'R&D'}`)).toBe("id in ('a','b''c') and x eq 'R&D'");
    expect(odataString("O'Neil")).toBe("'O''Neil'");
    expect(odataString('\uD800x')).toBe("'\uFFFDx'");
  });
});

describe('unit: the $filter the Graph client sends decodes to exactly the intended expression', () => {
  test('searchGroups: startswith(displayName, <text>) and nothing else, for any text', async () => {
    await fc.assert(fc.asyncProperty(userText, async (text) => {
      const { client, sent } = capturingClient();
      await searchGroups(client, text, 8);
      expect(sent).toHaveLength(1);
      const [request] = sent;
      expect(request?.url.hash).toBe('');
      expect(request?.params).toEqual([
        ['$filter', `startswith(displayName,${literal(text)})`],
        ['$top', '9'],
        ['$select', 'id,displayName,groupTypes,membershipRule,isAssignableToRole'],
      ]);
    }), { numRuns: 300 });
  });

  // Issue 9, item 10: the look-up uses the documented scope filter only; the name is matched on the answers, never sent.
  test("findDefinitionsByName: contains(scope/…/query, '/groups/<id>'), and the name nowhere in the query", async () => {
    const group = 'bbbbbbbb-0000-4000-8000-000000000001';
    await fc.assert(fc.asyncProperty(userText, async (name) => {
      const { client, sent } = capturingClient();
      await findDefinitionsByName(client, name, { query: `/groups/${group}/transitiveMembers/microsoft.graph.user` });
      expect(sent).toHaveLength(1);
      expect(sent[0]?.url.hash).toBe('');
      expect(Object.fromEntries(sent[0]?.params ?? [])).toEqual({
        $filter: `contains(scope/microsoft.graph.accessReviewQueryScope/query, '/groups/${group}')`,
        $top: '100',
        $select: 'id,displayName,status,createdBy,createdDateTime,descriptionForAdmins',
      });
    }), { numRuns: 300 });
  });

  test('findUsersByEmail: each address one literal in both lists', async () => {
    await fc.assert(fc.asyncProperty(fc.uniqueArray(userText, { minLength: 1, maxLength: 4, selector: (s) => s.toLowerCase() }), async (emails) => {
      const { client, sent } = capturingClient();
      await findUsersByEmail(client, emails);
      const list = [...new Set(emails.map((e) => e.toLowerCase()))].map(literal).join(',');
      expect(sent[0]?.params).toEqual([
        ['$filter', `mail in (${list}) or userPrincipalName in (${list})`],
        ['$select', 'id,displayName,mail,userPrincipalName'],
      ]);
    }), { numRuns: 200 });
  });

  test('the fixed filters (status, group ids, membership) decode to what they say', async () => {
    const { client, sent } = capturingClient();
    await listDefinitions(client, 'active', 11);
    await getGroupNames(client, ['g-1', "g'2"]);
    const counting = capturingClient(3);
    await isInGroup(counting.client, 'group-1', "user'1");
    const filterOf = (request: Sent | undefined): string | null => request?.url.searchParams.get('$filter') ?? null;
    // Issue 9, item 9: `active` spans six statuses and the docs list no `or`: filtered on the answers, no $filter sent.
    expect(filterOf(sent[0])).toBeNull();
    expect(filterOf(sent[1])).toBe("id in ('g-1','g''2')");
    expect(filterOf(counting.sent[0])).toBe("id eq 'user''1'");
  });
});

describe('e2e: group names typed in Teams reach the directory as data', () => {
  let tenant: LocalTenant;
  let bot: BotProcess;
  let teams: TeamsClient;
  const chat = personalChatId(USERS.adele);
  const NAMES = ['R&D', 'C++', 'C++ Guild', '50% off #1'];

  beforeAll(async () => {
    tenant = await startLocalTenant();
    // The demo tenant has no group with these names and the emulator's control API seeds only synthetic ones:
    // add them to its database (WAL: the running emulator sees them on its next query).
    const db = openDatabase(join(tenant.dataDir, 'graph', 'graph.sqlite'));
    try {
      const directory = new DirectoryStore(db);
      for (const name of NAMES) {
        const id = randomUUID();
        directory.insertGroup({
          id, display_name: name, description: 'issue 7 test group', mail: null, mail_nickname: null, group_types: '[]',
          security_enabled: 1, mail_enabled: 0, membership_rule: null, is_assignable_to_role: 0, has_team: 0, created_at: new Date(0).toISOString(),
        });
        directory.addRelation(id, USER.adele, 'owner');
        directory.addRelation(id, USER.alex, 'member');
      }
    } finally {
      db.close();
    }
    bot = await startBot(tenant, { env: { SSO_MODE: 'local' } });
    teams = await TeamsClient.start({ botUrl: bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID });
  });
  afterAll(async () => {
    await teams?.stop();
    await bot?.stop();
    await tenant?.dispose();
  });
  beforeEach(() => teams.clear());

  const everything = (): string => JSON.stringify(teams.sent.map((s) => s.activity));
  /** The bot's first answer in Adele's chat to the command (a text or a card). */
  const answerTo = async (command: string): Promise<SentActivity> => {
    expect((await teams.message(USERS.adele, command)).status).toBe(200);
    return teams.waitFor(() => teams.sent.find((s) => s.conversationId === chat), 10_000);
  };

  test('an injected filter matches nothing: no group found, neither Sales Team nor Finance Apps offered', async () => {
    const answer = await answerTo('review "Sales%27) or startswith(displayName,%27Fin" members');
    expect(teams.textOf(answer)).toMatch(/^No group's name starts with /);
    expect(teams.adaptiveCards()).toEqual([]);
    expect(everything()).not.toMatch(/Sales Team|Finance Apps/);
    expect(teams.sent).toHaveLength(1);
  });

  test.each([['R&D'], ['C++'], ['50% off #1']])('a group named %s is found exactly (the confirmation card, no choice)', async (name) => {
    const answer = await answerTo(`review "${name}" members`);
    const card = JSON.stringify(teams.adaptiveCards(chat));
    expect(teams.adaptiveCards(chat)).toHaveLength(1);
    expect(JSON.stringify(answer.activity)).toContain(name);
    expect(card).toContain('review.create');
    expect(card).not.toContain('Which of these groups?');
    if (name === 'C++') expect(card).not.toContain('C++ Guild');
  });
});
