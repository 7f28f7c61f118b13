import { FakeTenant, IDS, type FakeUser } from '../../support/fakeGraph';
import { messageActivity } from '../../support/teamsActivities';
import { buildBot, buttonsOf, cardOf, cardTexts, NOW, PEOPLE, PERSONAL, type BotHarness, type Button, type Reply } from '../support/botHarness';

/**
 * What the creation tests of issue 10 ("the first ten minutes of a new admin") share: a tenant like the one in the
 * issue (Finance Apps with 30 people, 2 of them guests; All Staff), the whole bot over it (test/bot/support/botHarness.ts:
 * fixed clock, Graph fake, no network), and readers for the cards the bot answers with.
 */

export const GROUPS = {
  financeApps: 'cccccccc-0000-4000-8000-000000000001',
  allStaff: 'cccccccc-0000-4000-8000-000000000002',
} as const;

const member = (n: number): FakeUser => ({
  id: `dddddddd-0000-4000-8000-${String(n).padStart(12, '0')}`, displayName: `Member ${n}`, userType: 'Member',
});

/** Adele (the requester, an admin), Megan, Alex, two guests, and 40 more members. */
export function adminTenant(): FakeTenant {
  const people: FakeUser[] = [
    { id: IDS.adele, displayName: 'Adele Vance', mail: 'adele@contoso.local', userPrincipalName: 'adele@contoso.local', userType: 'Member' },
    { id: IDS.megan, displayName: 'Megan Bowen', mail: 'megan@contoso.local', userPrincipalName: 'megan@contoso.local', userType: 'Member' },
    { id: IDS.alex, displayName: 'Alex Wilber', mail: 'alex@contoso.local', userPrincipalName: 'alex@contoso.local', userType: 'Member' },
    { id: IDS.guestA, displayName: 'Guest A', mail: 'a@fabrikam.test', userType: 'Guest' },
    { id: IDS.guestB, displayName: 'Guest B', mail: 'b@fabrikam.test', userType: 'Guest' },
  ];
  const more = Array.from({ length: 40 }, (_, i) => member(i + 1));
  return new FakeTenant({
    users: [...people, ...more],
    groups: [
      // 30 people: Megan, Alex, the two guests and 26 members; Adele is not in it.
      { id: GROUPS.financeApps, displayName: 'Finance Apps', members: [IDS.megan, IDS.alex, IDS.guestA, IDS.guestB, ...more.slice(0, 26).map((u) => u.id)],
        owners: [IDS.megan] },
      { id: GROUPS.allStaff, displayName: 'All Staff', members: [IDS.adele, IDS.megan, IDS.alex, ...more.map((u) => u.id)], owners: [IDS.alex] },
    ],
  }, () => NOW);
}

/** The bot over the admin tenant, Adele signed in. */
export const adminBot = (): BotHarness => buildBot({ tenant: adminTenant(), signedIn: [IDS.adele] });

type Node = Record<string, unknown>;

/** The last card among `replies`. */
export const lastCard = (replies: Reply[]): Node | undefined => cardOf([...replies].reverse().find((reply) => cardOf(reply) !== undefined));

/** The card's label/value rows, as pairs. */
export const rowsOf = (card: Node | undefined): Array<[string, string]> => {
  const sets: Node[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      if ((value as Node).type === 'ColumnSet') sets.push(value as Node);
      Object.values(value).forEach(walk);
    }
  };
  walk(card);
  return sets.map((set) => (set.columns as Node[]).map((column) => cardTexts(column).join('')) as [string, string]);
};

/** The value of the row labelled `label` ('' when absent). */
export const rowOf = (card: Node | undefined, label: string): string => rowsOf(card).find(([name]) => name === label)?.[1] ?? '';

/** The re-ask reason of a wizard card: its text in attention colour ('' when none). */
export function problemOf(card: Node | undefined): string {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      const node = value as Node;
      if ((node.type === 'TextRun' || node.type === 'TextBlock') && node.color === 'Attention' && typeof node.text === 'string') found.push(node.text);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found.join(' ');
}

/** The warnings of a confirmation card (its ⚠ texts). */
export const warningsOf = (card: Node | undefined): string[] => cardTexts(card).filter((text) => text.startsWith('⚠ '));

/** The confirmation card's buttons by verb. */
export const buttonsByVerb = (card: Node | undefined): Record<string, Button> =>
  Object.fromEntries(buttonsOf(card).map((button) => [button.verb ?? button.title, button]));

/** A press of a wizard card's Submit button (with the form's inputs), as Teams sends it: a message with a value. */
export async function submit(bot: BotHarness, stepId: string, choice: string, fields: Record<string, unknown> = {}): Promise<Reply[]> {
  const activity = { ...messageActivity(bot.wire, PEOPLE.adele, '', PERSONAL), value: { wizard: stepId, choice, ...fields } };
  return (await bot.turn(activity)).replies;
}

/** Adele types each answer in personal chat, in order; the replies to the last one. */
export async function answers(bot: BotHarness, ...texts: string[]): Promise<Reply[]> {
  let replies: Reply[] = [];
  for (const text of texts) replies = await bot.say(PEOPLE.adele, text, PERSONAL);
  return replies;
}
