import { commandNamed, worksIn } from '../../../bot/commands';
import { parseCommand } from '../../../bot/commands/commandParser';
import { REVIEW_CANCEL, REVIEW_CHANGE, REVIEW_CREATE } from '../../../cards/verbs';
import { cardTexts, GROUP_CHAT, GROUP_CHAT_ID, invokeCard, PEOPLE, PERSONAL, type BotHarness } from '../support/botHarness';
import type { Scope } from '../../support/teamsActivities';
import { adminBot, buttonsByVerb, lastCard, rowOf } from './adminTenant';

/**
 * The result card of Create (cards/created.json), issue 10:
 * - item 8: a review created to start today said `NotStarted` while `reviews` a minute later said it was running:
 *   it says it starts within minutes (and what a later start or another status means, in words);
 * - item 12: Create pressed on an outdated confirmation card, after a newer one was created, said "Access review
 *   created" although that card showed other settings: it says the review was already created, and with which settings;
 * - item 3: it promised `show`, which this version does not have: it names only commands of the catalogue.
 */

let bot: BotHarness;
beforeEach(() => {
  bot = adminBot();
});
afterEach(async () => {
  await bot.close();
});

type Card = Record<string, unknown> | undefined;

/** Adele's quick create in `scope`; the confirmation card's buttons by verb. */
async function confirm(line: string, scope: Scope = PERSONAL): Promise<ReturnType<typeof buttonsByVerb>> {
  const buttons = buttonsByVerb(lastCard(await bot.say(PEOPLE.adele, line, scope)));
  expect(Object.keys(buttons)).toEqual([REVIEW_CREATE, REVIEW_CHANGE, REVIEW_CANCEL]);
  return buttons;
}
const create = async (data: unknown, scope: Scope = PERSONAL): Promise<Card> => invokeCard(await bot.press(PEOPLE.adele, REVIEW_CREATE, data, scope));

describe('status (item 8)', () => {
  test('created to start today: "Starts within minutes", not Graph\'s NotStarted', async () => {
    const card = await create((await confirm('review "Finance Apps" members'))[REVIEW_CREATE]?.data);
    expect(cardTexts(card)[0]).toBe('Access review created');
    expect(bot.tenant.definitions[0]?.status).toBe('NotStarted');
    expect(rowOf(card, 'Status')).toBe('Starts within minutes');
    expect(rowOf(card, 'First run')).toBe('Monday 2 June 2025 (today)');
    expect(JSON.stringify(card)).not.toContain('NotStarted');
  });

  test('created to start on a later day: scheduled for that day', async () => {
    const card = await create((await confirm('review "Finance Apps" members starting 2025-06-20'))[REVIEW_CREATE]?.data);
    expect(rowOf(card, 'Status')).toBe('Scheduled: starts on Friday 20 June 2025');
    expect(rowOf(card, 'First run')).toBe('Friday 20 June 2025');
  });

  test('a status other than NotStarted is said in words', async () => {
    const { [REVIEW_CREATE]: button } = await confirm('review "Finance Apps" members');
    // A tenant whose reviews start at once.
    const original = bot.tenant.create.bind(bot.tenant);
    bot.tenant.create = (as, body) => ({ ...original(as, body), status: 'InProgress' });
    expect(rowOf(await create(button?.data), 'Status')).toBe('In progress');
  });
});

describe('Create on an outdated confirmation card, after the newer one was created (item 12)', () => {
  test('says the review was already created, from the newer card, and with which settings; nothing more is created', async () => {
    const { [REVIEW_CREATE]: first } = await confirm('review "Finance Apps" members', GROUP_CHAT);
    const actor = { userId: PEOPLE.adele.aadObjectId, conversationId: GROUP_CHAT_ID };
    const opened = await bot.drafts.open({ id: first?.data.confirmationId, revision: first?.data.revision }, actor);
    if (opened.kind !== 'open') throw new Error(`draft is ${opened.kind}`);
    const settings = { ...opened.action.payload.settings, name: 'Finance Apps access, renamed', schedule: { ...opened.action.payload.settings.schedule, durationDays: 7 } };
    const revised = await bot.drafts.revise(opened.action.id, actor, { ...opened.action.payload, settings });
    if (revised.kind !== 'open') throw new Error(`draft is ${revised.kind}`);
    const newer = { ...first?.data, revision: revised.action.revision };
    expect(cardTexts(await create(newer, GROUP_CHAT))[0]).toBe('Access review created');

    const card = await create(first?.data, GROUP_CHAT);
    const texts = cardTexts(card);
    expect(texts[0]).toBe('This review was already created');
    expect(texts).not.toContain('Access review created');
    expect(texts).toContain('This card showed an earlier version of the draft. The review was created from a later version, ' +
      'with the settings below. Nothing was created now.');
    expect(rowOf(card, 'Name')).toBe('Finance Apps access, renamed');
    expect(rowOf(card, 'Each run lasts')).toBe('7 days');
    expect(rowOf(card, 'Group')).toBe('Finance Apps');
    expect(texts).toContain(bot.tenant.definitions[0]?.id);
    expect(bot.tenant.definitions).toHaveLength(1);
  });

  test('Cancel on the outdated card after the create: the same answer, nothing cancelled', async () => {
    const { [REVIEW_CREATE]: first, [REVIEW_CANCEL]: cancel } = await confirm('review "Finance Apps" members');
    const id = String(first?.data.confirmationId);
    const actor = { userId: PEOPLE.adele.aadObjectId, conversationId: await conversationOf(id) };
    const opened = await bot.drafts.open({ id, revision: 1 }, actor);
    if (opened.kind !== 'open') throw new Error(`draft is ${opened.kind}`);
    expect(await bot.drafts.revise(id, actor, opened.action.payload)).toMatchObject({ kind: 'open', action: { revision: 2 } });
    await create({ ...first?.data, revision: 2 });
    const answer = invokeCard(await bot.press(PEOPLE.adele, REVIEW_CANCEL, cancel?.data));
    expect(cardTexts(answer)[0]).toBe('This review was already created');
    expect(bot.tenant.definitions).toHaveLength(1);
  });

  test('the same card pressed again still gets the created card (it showed exactly these settings)', async () => {
    const { [REVIEW_CREATE]: button } = await confirm('review "Finance Apps" members');
    await create(button?.data);
    expect(cardTexts(await create(button?.data))[0]).toBe('Access review created');
  });
});

describe('follow-up (item 3): only commands this version has', () => {
  /** The words the card tells the user to type (in bold or code). */
  const typed = (card: Card): string[] => cardTexts(card).flatMap((text) => [...text.matchAll(/`([^`]+)`|\*\*([^*]+)\*\*/g)].map((m) => m[1] ?? m[2] ?? ''));
  /** A command of the catalogue that this version runs in personal chat, where the card sends the user. */
  const available = (word: string): boolean => {
    const parsed = parseCommand(word);
    return parsed.kind === 'command' && worksIn(commandNamed(parsed.name), 'personal');
  };

  test('personal chat: "reviews", which shows it with its status; never "show"', async () => {
    const card = await create((await confirm('review "Finance Apps" members'))[REVIEW_CREATE]?.data);
    expect(typed(card)).toEqual(['reviews']);
    expect(typed(card).every(available)).toBe(true);
    expect(cardTexts(card)).toContain('Type **reviews** to see it among your reviews, with its status.');
    expect(JSON.stringify(card)).not.toMatch(/\*\*show\*\*/);
  });

  test('group chat: "reviews" in personal chat with the bot (a shared chat does not list the tenant\'s reviews)', async () => {
    const card = await create((await confirm('review "Finance Apps" members', GROUP_CHAT))[REVIEW_CREATE]?.data, GROUP_CHAT);
    expect(cardTexts(card)).toContain('Type **reviews** in personal chat with me to see it among your reviews, with its status.');
    expect(typed(card).every(available)).toBe(true);
  });
});

/** The conversation a draft belongs to (the harness's personal chat id for Adele). */
async function conversationOf(draftId: string): Promise<string> {
  const items = await bot.storage.read([`drafts/${draftId}`]);
  const conversationId = (items[`drafts/${draftId}`] as { conversationId?: unknown } | undefined)?.conversationId;
  return typeof conversationId === 'string' ? conversationId : '';
}
