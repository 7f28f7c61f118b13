import { formatDay } from '../../reviews/describeSettings';
import { useLocalStack } from '../support/localStack';
import { control } from '../support/localTenant';
import { USERS } from '../support/teamsClient';

/**
 * Local mode: the bot's clock follows the local tenant's (issue 8, item 5). After `/_emulator/clock` moves the
 * emulated tenant 40 days on, "today" in the bot — the start date a new review gets — is the tenant's day, not the
 * machine's, so what the bot prepares is what the emulator accepts.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });

async function startDateOfQuickCreate(): Promise<string> {
  stack.teams.clear();
  await stack.teams.message(USERS.adele, 'review "Sales Team" guests quarterly by owners');
  const sent = await stack.teams.waitFor(() => stack.teams.sent.find((s) => JSON.stringify(s.activity).includes('review.create')), 10_000);
  const card = JSON.stringify(sent.activity);
  const starts = /"text":"Starts"[^]*?"text":"([^"]+)"/.exec(card)?.[1];
  if (starts === undefined) throw new Error(`no start date on the card: ${card.slice(0, 300)}`);
  return starts;
}

test('a review prepared after the tenant\'s clock moved starts on the tenant\'s today', async () => {
  const before = String((await control(stack.tenant, 'GET', '/clock')).body.now).slice(0, 10);
  expect(await startDateOfQuickCreate()).toBe(formatDay(before));
  const moved = await control(stack.tenant, 'POST', '/clock', { advance: 'P40D' });
  const tenantToday = String(moved.body.now).slice(0, 10);
  expect(tenantToday).not.toBe(before);
  expect(await startDateOfQuickCreate()).toBe(formatDay(tenantToday));
});
