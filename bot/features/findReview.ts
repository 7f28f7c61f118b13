import { renderReviewChoiceCard } from '../../cards';
import type { CardVerb } from '../../cards/verbs';
import { reviewedGroupId } from '../../reviews/describe';
import { parseReviewArgument, resolveReview } from '../../reviews/resolveReview';
import { statusWords } from '../../reviews/status';
import { isAppError } from '../errors';
import type { ReviewDefinition } from '../graph/apis';
import { quoted } from '../userText';
import type { FeatureContext, FeatureReply } from './feature';

/** How a command that takes `<review>` is written and replayed. */
export interface ReviewCommand {
  /** As typed, e.g. `show`. */
  phrase: string;
  /** The command's card verb: a choice card's buttons replay it with the review's id. Absent: the choice is a list to type from. */
  verb?: CardVerb;
  /** Words the command reads after the name (e.g. `pending`): see parseReviewArgument. */
  trailingKeywords?: readonly string[];
}

/** The review the user meant (as that user sees it, re-read from Graph), with what followed its name; or what to answer instead. */
export type FoundReview = { kind: 'found'; review: ReviewDefinition; rest: string } | { kind: 'answer'; reply: FeatureReply };

const answer = (text: string): FoundReview => ({ kind: 'answer', reply: { text } });
const nameOf = (definition: ReviewDefinition): string => definition.displayName ?? '(no name)';

/**
 * `<review>` of a command → one review, read with the user's own token: an id is read directly (a card's id is
 * re-checked against Graph, never trusted); a name is resolved by reviews/resolveReview over every definition the
 * user can read. Several matches → a choice card (or a list), none → the closest names. A typo never picks a review.
 */
export async function findReview(context: FeatureContext, command: ReviewCommand): Promise<FoundReview> {
  const { argument, rest } = parseReviewArgument(context.args, { trailingKeywords: command.trailingKeywords ?? [] });
  const usage = `\`${command.phrase} <review>\` (its name, in quotes if it has spaces, or its id)`;
  if (argument.kind === 'empty' || argument.kind === 'all') return answer(`Which review? Type ${usage}. Type \`reviews\` to see them.`);
  // A team channel is shared with the whole team: only the reviews of the team's own group are named or acted on there.
  const teamGroup = context.scope === 'channel' ? context.teamGroupId?.toLowerCase() ?? '' : undefined;
  const inThisRoom = (definition: ReviewDefinition): boolean => teamGroup === undefined || (teamGroup !== '' && reviewedGroupId(definition) === teamGroup);
  const elsewhere = answer(`This channel is shared with the whole team, so here I only show and act on the reviews of the team's own group. ` +
    `Send \`${command.phrase}\` and the review's name to me in personal chat.`);
  if (argument.kind === 'id') {
    try {
      const review = await context.graph.reviews.getDefinition(argument.id);
      return inThisRoom(review) ? { kind: 'found', review, rest } : elsewhere;
    } catch (error) {
      if (isAppError(error, 'NotFound')) return answer(`No access review has the id ${quoted(argument.id)} (it may have been deleted). Nothing changed.`);
      throw error;
    }
  }
  if (teamGroup === '') return elsewhere;
  const { definitions, complete } = await context.graph.reviews.allDefinitions();
  const resolution = resolveReview(argument, definitions.filter(inThisRoom), { maxMatches: 8, maxClosest: 3 });
  // Named right, but another group's: said so, rather than "no review is called that".
  if (resolution.kind === 'none' && teamGroup !== undefined && resolveReview(argument, definitions, { maxMatches: 1, maxClosest: 0 }).kind !== 'none') return elsewhere;
  if (resolution.kind === 'one') return { kind: 'found', review: resolution.review, rest };
  if (resolution.kind === 'several') {
    const title = `${resolution.total} reviews match ${quoted(argument.name)}`;
    if (command.verb === undefined) {
      const names = resolution.matches.map((definition) => `"${nameOf(definition)}"`).join(', ');
      return answer(`${title}: ${names}. Type the whole name in quotes, or the id.`);
    }
    return {
      kind: 'answer',
      reply: {
        card: renderReviewChoiceCard({
          title, text: 'Which one?', verb: command.verb, more: resolution.total - resolution.matches.length,
          choices: resolution.matches.map((definition) => ({ title: `${nameOf(definition)} · ${statusWords(definition.status)}`, id: definition.id })),
        }),
      },
    };
  }
  const closest = resolution.closest.length === 0 ? '' : ` Did you mean ${resolution.closest.map((name) => `"${name}"`).join(', ')}?`;
  const unread = complete ? '' : ' (I read the first 1,000 reviews only: type its id to reach any review.)';
  return answer(`No access review you can read is called ${quoted(argument.name)}.${closest}${unread} Type \`reviews\` to see them.`);
}
