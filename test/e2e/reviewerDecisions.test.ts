import { blockTexts as texts } from '../cards/cardNodes';
import { control, graph, REVIEWS, userToken } from '../support/localTenant';
import { useLocalStack } from '../support/localStack';
import { USERS, type SentActivity, type TeamsUser } from '../support/teamsClient';

/**
 * Reviewers decide in chat (issue 13) over real HTTP: the bot process, the local tenant, the simulated Teams client.
 * Megan (owner of Sales Team, reviewer of its guest review, no directory role) sees exactly the items the emulator holds
 * for her, denies Ramesh with a justification and submits; the emulator shows it; a double Submit records once;
 * Alex pressing her card changes nothing; a pending choice survives a SIGKILL of the bot.
 */

jest.setTimeout(120_000);

const REVIEW = 'Sales Team guest review';
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });

interface CardNode { type?: string; id?: string; title?: string; verb?: string; data?: Record<string, unknown>; [key: string]: unknown }
const cardOf = (sent: SentActivity): CardNode => (sent.activity.attachments as Array<{ content: CardNode }> | undefined)?.[0]?.content ?? {};
function nodes(node: unknown): CardNode[] {
  if (Array.isArray(node)) return node.flatMap(nodes);
  if (typeof node !== 'object' || node === null) return [];
  const own = node as CardNode;
  return [own, ...Object.values(own).flatMap((value) => (typeof value === 'object' ? nodes(value) : []))];
}
const buttons = (card: CardNode): CardNode[] => nodes(card).filter((n) => n.type === 'Action.Execute');
const button = (card: CardNode, title: string): CardNode => {
  const found = buttons(card).find((b) => String(b.title).replace(/^✓ /u, '').startsWith(title));
  if (found === undefined) throw new Error(`no "${title}" button: ${buttons(card).map((b) => String(b.title)).join(', ')}`);
  return found;
};
/** The decision card's choice input of the item whose name starts with `name`. */
function choiceFor(card: CardNode, name: string): string {
  const container = nodes(card).find((n) => n.type === 'Container' && texts(n)[0]?.startsWith(name) === true && nodes(n).some((c) => c.type === 'Input.ChoiceSet'));
  const input = nodes(container).find((n) => n.type === 'Input.ChoiceSet');
  if (input?.id === undefined) throw new Error(`no choice for ${name}`);
  return input.id;
}

/** The bot's answer to a message from `user` in their personal chat: the card it sent. */
async function ask(user: TeamsUser, text: string): Promise<CardNode> {
  const before = stack.teams.sent.length;
  await stack.teams.message(user, text);
  const sent = await stack.teams.waitFor(() => stack.teams.sent.slice(before).find((s) => s.activity.attachments !== undefined), 20_000);
  return cardOf(sent);
}

/** A press of `action` by `user` with the card's inputs: the replacement card (or the text) it answered with. */
async function press(user: TeamsUser, action: CardNode, inputs: Record<string, string> = {}): Promise<{ card?: CardNode; text?: string }> {
  const before = stack.teams.sent.length;
  const delivery = await stack.teams.invoke(user, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: action.verb, data: { ...action.data, ...inputs } }, trigger: 'manual' });
  const body = delivery.body as { type?: string; value?: unknown };
  if (body.type === 'application/vnd.microsoft.card.adaptive') return { card: body.value as CardNode };
  // "Opened below.": the card was posted as a new message.
  if (body.value === 'Opened below.') return { card: cardOf(await stack.teams.waitFor(() => stack.teams.sent.slice(before).find((s) => s.activity.attachments !== undefined), 20_000)) };
  return { text: String(body.value) };
}

interface Item { id: string; decision: string; justification: string | null; principal: { displayName: string }; reviewedBy?: { id: string } }
async function meganItems(): Promise<Item[]> {
  const token = await userToken(stack.tenant, 'megan@contoso.local');
  const definitions = (await graph(stack.tenant, token, 'GET', `${REVIEWS}/filterByCurrentUser(on='reviewer')`)).body as { value: Array<{ id: string; displayName: string }> };
  const definition = definitions.value.find((d) => d.displayName === REVIEW);
  const instances = (await graph(stack.tenant, token, 'GET', `${REVIEWS}/${definition?.id ?? ''}/instances/filterByCurrentUser(on='reviewer')`)).body as { value: Array<{ id: string; status: string }> };
  const instance = instances.value.find((i) => i.status === 'InProgress');
  const items = (await graph(stack.tenant, token, 'GET', `${REVIEWS}/${definition?.id ?? ''}/instances/${instance?.id ?? ''}/decisions/filterByCurrentUser(on='reviewer')`)).body as { value: Item[] };
  return items.value;
}
const patches = async (): Promise<number> => {
  const stats = (await control(stack.tenant, 'GET', '/stats')).body as { byRoute: Record<string, number> };
  return Object.entries(stats.byRoute).filter(([route]) => route.startsWith('PATCH ')).reduce((sum, [, n]) => sum + n, 0);
};

test('Megan: my reviews shows what the emulator holds for her; she denies Ramesh with a justification and submits; the emulator records it', async () => {
  const held = await meganItems();
  const undecided = held.filter((item) => item.decision === 'NotReviewed');
  expect(undecided.length).toBeGreaterThan(0);

  const list = await ask(USERS.megan, 'what do I need to review');
  const listTexts = texts(list);
  expect(listTexts).toContain(REVIEW);
  expect(listTexts).toContain(`${undecided.length} of ${held.length} to decide`);

  const { card } = await press(USERS.megan, buttons(list)[0] ?? {});
  expect(card).toBeDefined();
  const decisionCard = card as CardNode;
  // Exactly her undecided items, by name.
  const shown = nodes(decisionCard).filter((n) => n.type === 'Container' && nodes(n).some((c) => c.type === 'Input.ChoiceSet')).map((n) => texts(n)[0]?.split(' · ')[0]);
  expect(shown.sort()).toEqual(undecided.map((item) => item.principal.displayName).sort());
  const ramesh = choiceFor(decisionCard, 'Ramesh');
  expect(texts(decisionCard)).toContain('Deny recommended: last sign-in 200 days ago (look-back 30 days)');

  await control(stack.tenant, 'POST', '/stats/reset');
  const why = 'Left Fabrikam in June';
  const submitted = await press(USERS.megan, button(decisionCard, 'Submit'), { [ramesh]: 'Deny', justification: why });
  expect(texts(submitted.card)).toContain('Sent: 1 decision recorded.');
  const after = (await meganItems()).find((item) => item.principal.displayName.startsWith('Ramesh'));
  expect(after).toMatchObject({ decision: 'Deny', justification: why, reviewedBy: { id: USERS.megan.aadObjectId } });
  expect(await patches()).toBe(1);
});

test('a double Submit records once; Alex pressing Megan\'s card changes nothing', async () => {
  const card = await ask(USERS.megan, `decide "${REVIEW}"`);
  // Megan changes her mind on an item she already decided: shown under All.
  const all = (await press(USERS.megan, button(card, 'All'))).card as CardNode;
  const lynne = choiceFor(all, 'Lynne');
  await press(USERS.megan, button(all, 'All'), { [lynne]: 'DontKnow' });
  await control(stack.tenant, 'POST', '/stats/reset');
  const submit = button(all, 'Submit');
  const [first, second] = await Promise.all([press(USERS.megan, submit), press(USERS.megan, submit)]);
  const notices = [first, second].map((answer) => texts(answer.card).find((text) => /^(Sent|Your decisions|Nothing pending)/.test(text)));
  expect(notices.filter((notice) => notice === 'Sent: 1 decision recorded.')).toHaveLength(1);
  expect(await patches()).toBe(1);
  expect((await meganItems()).find((item) => item.principal.displayName.startsWith('Lynne'))?.decision).toBe('DontKnow');

  // Alex presses Megan's Submit with his own choice: nothing is kept or sent.
  await control(stack.tenant, 'POST', '/stats/reset');
  const alex = await press(USERS.alex, submit, { [lynne]: 'Approve', justification: 'mine' });
  expect(alex.text).toBe('Only this review\'s reviewers can decide, each on their own card, and this card is not yours: nothing was kept or sent. Type "my reviews" for yours.');
  expect(await patches()).toBe(0);
  expect((await meganItems()).find((item) => item.principal.displayName.startsWith('Lynne'))?.decision).toBe('DontKnow');
});

test('a pending choice survives a SIGKILL of the bot, and is sent after the restart', async () => {
  const card = await ask(USERS.megan, `decide "${REVIEW}"`);
  const all = (await press(USERS.megan, button(card, 'All'))).card as CardNode;
  const lynne = choiceFor(all, 'Lynne');
  const kept = (await press(USERS.megan, button(all, 'All'), { [lynne]: 'Approve', justification: 'Works with us again' })).card as CardNode;
  expect(texts(kept).some((text) => text.endsWith('· 1 pending'))).toBe(true);

  await stack.restart();

  const again = await ask(USERS.megan, `decide "${REVIEW}"`);
  expect(texts(again).some((text) => text.endsWith('· 1 pending'))).toBe(true);
  expect(String(button(again, 'Submit').title)).toBe('Submit 1 pending');
  const sent = await press(USERS.megan, button(again, 'Submit'));
  expect(texts(sent.card)).toContain('Sent: 1 decision recorded.');
  expect((await meganItems()).find((item) => item.principal.displayName.startsWith('Lynne'))).toMatchObject({ decision: 'Approve', justification: 'Works with us again' });
});
