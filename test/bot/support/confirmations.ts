import { validateCard } from '../../../cards/validate';
import type { Scope } from '../../support/teamsActivities';
import { buttonsOf, cardOf, cardTexts, invokeOutcome, type BotHarness, type Person } from './botHarness';

/** A confirm-then-act command as typed: the card's texts and its act button's data, or the text answer. */
export interface Confirmation { texts: string[]; data: Record<string, unknown> | undefined; text: string }

/**
 * Types a command that answers with a confirmation card (stop, apply, edit…) and returns what it showed. The card is
 * checked on the way: valid, and no markdown code span in it (a card shows text as typed: names in quotes).
 */
export async function askConfirmation(bot: BotHarness, actVerb: string, user: Person, text: string, scope: Scope): Promise<Confirmation> {
  const replies = await bot.say(user, text, scope);
  const card = cardOf(replies.find((reply) => cardOf(reply) !== undefined));
  if (card !== undefined) expect(validateCard(card)).toEqual([]);
  expect(cardTexts(card).filter((line) => line.includes('`'))).toEqual([]);
  const act = buttonsOf(card).find((button) => button.verb === actVerb);
  return { texts: cardTexts(card), data: act?.data, text: replies.map((reply) => reply.text ?? '').join(' ') };
}

/** Presses a button of a confirmation card; what it came to as the presser reads it (plain text: no code span). */
export async function pressConfirmation(bot: BotHarness, user: Person, data: unknown, verb: string, scope: Scope): Promise<string> {
  const answer = invokeOutcome(await bot.press(user, verb, data, scope));
  expect(answer).not.toContain('`');
  return answer;
}
