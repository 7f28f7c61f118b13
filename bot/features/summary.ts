import type { CardButton } from '../../cards/types';
import { REVIEW_DECISIONS, REVIEW_SUMMARY } from '../../cards/verbs';
import { parseReviewArgument } from '../../reviews/resolveReview';
import type { Clock } from '../clock';
import type { CommandDeps } from '../commands/command';
import { isAppError } from '../errors';
import { quoted } from '../userText';
import type { Feature, FeatureContext, FeatureReply } from './feature';
import { findReview } from './findReview';
import { digestCard, readDigest, readSummary, summaryCard } from './summaryData';

const PERSONAL_POINTER = 'Send `summary` and the review\'s name to me in personal chat.';
const USAGE = 'Type `summary <review>` (its name, in quotes if it has spaces, or its id) or `summary all`.';

/** In a channel, the team's group (the only reviews shown there); undefined elsewhere. */
const teamGroupOf = (context: FeatureContext): string | undefined => (context.scope === 'channel' ? context.teamGroupId?.toLowerCase() : undefined);

async function digestReply(context: FeatureContext, clock: Clock): Promise<FeatureReply> {
  const groupId = teamGroupOf(context);
  const data = await readDigest(context.graph, groupId === undefined ? {} : { groupId });
  return { card: digestCard(data, { now: clock.now(), teamOnly: groupId !== undefined }) };
}

async function summaryReply(context: FeatureContext, clock: Clock, deps: Pick<CommandDeps, 'suggesting'>): Promise<FeatureReply> {
  const found = await findReview(context, { phrase: 'summary', verb: REVIEW_SUMMARY });
  if (found.kind === 'answer') return found.reply;
  const definition = found.review;
  // (In a team channel findReview finds only the reviews of the team's own group: the card is posted for the whole team.)
  if (found.rest !== '') return { text: `I didn't understand ${quoted(found.rest)} after the review. ${USAGE}` };
  // Per-person decisions only where the asker alone sees them (and only when `decisions` works there).
  const actions: CardButton[] = deps.suggesting('decisions', context.scope, 'Decisions') === undefined ? [] : [{ title: 'Decisions', verb: REVIEW_DECISIONS, args: definition.id }];
  try {
    return { card: summaryCard(await readSummary(context.graph, definition), { now: clock.now(), actions }) };
  } catch (error) {
    if (isAppError(error, 'NotFound')) {
      return { text: `The review ${quoted(definition.displayName ?? definition.id)} (or its run) no longer exists (it may have just been deleted). Nothing changed.` };
    }
    throw error;
  }
}

/**
 * `summary <review>`: the summary card of the review's current (or latest) run (progress, counts per decision, the
 * recommendation followed, apply results, the service's own steps, who is still to answer); `summary all`: one digest
 * of every active review, ending soonest first. In a team channel (where the card is posted for everyone) only the
 * team's own group's reviews, and never per-person data; in personal chat the card is the asker's alone.
 */
export const summaryFeature = (clock: Clock, deps: Pick<CommandDeps, 'suggesting'>): Feature => ({
  async run(context) {
    if (context.scope === 'groupChat') return { text: `A group chat has no review of its own, so I summarise none here. ${PERSONAL_POINTER}` };
    if (context.scope === 'channel' && context.teamGroupId === undefined) {
      return { text: `This channel is shared with the whole team, but I could not tell which group the team is, so I summarise no review here. ${PERSONAL_POINTER}` };
    }
    const { argument, rest } = parseReviewArgument(context.args, { acceptAll: true });
    if (argument.kind === 'all' && rest === '') return digestReply(context, clock);
    return summaryReply(context, clock, deps);
  },
});
