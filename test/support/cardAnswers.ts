import type { Scope, SentActivity, TeamsClient, TeamsUser } from './teamsClient';

/** A confirm-then-act card the bot sent: the activity, its pending action's id and revision, and its JSON. */
export interface Confirmation { sent: SentActivity; confirmationId: string; revision: number; card: string }

/** Sends `text` and waits for the confirmation card (one whose buttons carry `verb`) the bot answers with. */
export async function confirmationFor(teams: TeamsClient, user: TeamsUser, text: string, verb: string, scope?: Scope): Promise<Confirmation> {
  const before = teams.sent.length;
  await teams.message(user, text, scope);
  const sent = await teams.waitFor(() => teams.sent.slice(before).find((s) => JSON.stringify(s.activity).includes(verb)), 10_000);
  const card = JSON.stringify(sent.activity);
  return { sent, card, confirmationId: /"confirmationId":"([0-9a-f-]{36})"/.exec(card)?.[1] ?? '', revision: Number(/"revision":"?(\d+)/.exec(card)?.[1]) };
}

/** Sends `text` and returns the bot's first text answer. */
export async function textAnswerTo(teams: TeamsClient, user: TeamsUser, text: string): Promise<string> {
  const before = teams.sent.length;
  await teams.message(user, text);
  const sent = await teams.waitFor(() => teams.sent.slice(before).find((s) => teams.textOf(s) !== ''), 10_000);
  return teams.textOf(sent);
}
