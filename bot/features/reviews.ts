import { renderReviewsListCard, type ReviewsFilter } from '../../cards';
import { describeRecurrence, describeScope, reviewedGroupId } from '../../reviews/describe';
import { statusWords } from '../../reviews/status';
import type { CommandDeps } from '../commands/command';
import { AppError, isAppError } from '../errors';
import { quoted } from '../userText';
import type { Feature } from './feature';

const FILTERS: readonly ReviewsFilter[] = ['active', 'completed', 'all'];
const PERSONAL_POINTER = 'Send `reviews` to me in personal chat for every review you can read.';
/** For someone Graph refuses the list to (no admin or reader role): where their own reviews are, and whom to ask. */
const WITHOUT_A_ROLE = 'If you were asked to review someone\'s access, the invitation email and My Access (https://myaccess.microsoft.com) ' +
  'list the reviews waiting for you. To see every review here, ask an Identity Governance Administrator of your organisation for one of those roles.';

/** A 403 on the list says which roles read reviews, and then what the user can do without one. */
async function withWayForward<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (isAppError(error, 'Forbidden')) throw new AppError('Forbidden', `${error.userMessage} ${WITHOUT_A_ROLE}`, { cause: error, status: error.status });
    throw error;
  }
}

/**
 * `reviews [active|completed|all]`: the access review definitions the user can read, as that user. `active` = not yet
 * finished, `completed` = finished, over Graph's whole status vocabulary (reviews/status.ts). In personal chat every
 * review the user can read; a team channel is shared with the whole team, so only the reviews of the team's own
 * group (Graph's documented `contains` filter); a group chat has no group of its own, so only a pointer.
 */
export const reviewsFeature = (suggesting: CommandDeps['suggesting']): Feature => ({
  async run(context) {
    const word = context.args.trim().toLowerCase();
    if (word !== '' && !FILTERS.includes(word as ReviewsFilter)) {
      return { text: `I didn't understand ${quoted(context.args)} after \`reviews\`. Try \`reviews active\`, \`reviews completed\` or \`reviews all\`.` };
    }
    const filter = (word || 'all') as ReviewsFilter;
    // A shared room shows no tenant-wide list: a group chat gets the pointer, a team channel its own team's reviews.
    if (context.scope === 'groupChat') return { text: `A group chat is shared with everyone in it, so I list no reviews here. ${PERSONAL_POINTER}` };
    const teamGroup = context.scope === 'channel' ? context.teamGroupId : undefined;
    if (context.scope === 'channel' && teamGroup === undefined) {
      return { text: `This channel is shared with the whole team, but I could not tell which group the team is, so I list no reviews here. ${PERSONAL_POINTER}` };
    }
    const page = await withWayForward(context.graph.reviews.listDefinitions(filter, 11, teamGroup));
    const groupIds = page.definitions.map(reviewedGroupId).filter((id): id is string => id !== undefined);
    const names = await context.graph.directory.groupNames(teamGroup === undefined ? groupIds : [...new Set([...groupIds, teamGroup])]);
    return {
      card: renderReviewsListCard({
        filter,
        ...(teamGroup === undefined ? {} : {
          // A card's markdown has bold but no code spans.
          notice: `Only the reviews of this team's group, ${names.get(teamGroup) ?? 'this team'}: this channel is shared with the whole team. ` +
            PERSONAL_POINTER.replace('`reviews`', '**reviews**'),
        }),
        hints: {
          listed: suggesting('show', context.scope, 'Type **show** and a review name for details.'),
          empty: suggesting('createReview', context.scope, 'Type **create review** to start one.'),
        },
        totalCount: page.nextLink === undefined ? page.definitions.length : undefined,
        reviews: page.definitions.map((definition) => ({
          displayName: definition.displayName ?? '(no name)',
          reviewedScope: describeScope(definition, names),
          // In words ("In progress", "Applied"); a status the bot does not know is shown as Graph sent it.
          status: statusWords(definition.status),
          recurrence: describeRecurrence(definition.settings?.recurrence),
        })),
      }),
    };
  },
});
