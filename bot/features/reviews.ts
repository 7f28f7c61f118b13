import { renderReviewsListCard, type CardButton, type ReviewsFilter } from '../../cards';
import { REVIEWS_LIST, type CardVerb } from '../../cards/verbs';
import { describeRecurrence, describeScope, reviewedGroupId } from '../../reviews/describe';
import { describeCurrentRun, describeReviewers, reviewerGroupIds } from '../../reviews/describeDefinition';
import { statusWords } from '../../reviews/status';
import type { CommandDeps } from '../commands/command';
import { AppError, isAppError } from '../errors';
import type { ListPosition } from '../graph/apis';
import { quoted } from '../userText';
import type { Feature } from './feature';
import { cursorArgs, parseCursor, previousCursor, type ListCursor } from './listCursor';

const FILTERS: readonly ReviewsFilter[] = ['active', 'completed', 'all'];
/** Rows per page (product spec). */
export const REVIEWS_PAGE = 10;
const PERSONAL_POINTER = 'Send `reviews` to me in personal chat for every review you can read.';
/** For someone Graph refuses the list to (no admin or reader role): where their own reviews are, and whom to ask. */
const WITHOUT_A_ROLE = 'If you were asked to review someone\'s access, the invitation email and My Access (https://myaccess.microsoft.com) ' +
  'list the reviews waiting for you. To see every review here, ask an Identity Governance Administrator of your organisation for one of those roles.';
const STALE_PAGE = 'That page of the list is no longer valid (the list changed, or the button was altered). Type `reviews` to start again.';

/** A row's buttons: a command that takes `<review>`, by name, its verb and button text (shown only where it works). */
export interface RowButton {
  command: string;
  verb: CardVerb;
  title: string;
}

/** A 403 on the list says which roles read reviews, and then what the user can do without one. */
async function withWayForward<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (isAppError(error, 'Forbidden')) throw new AppError('Forbidden', `${error.userMessage} ${WITHOUT_A_ROLE}`, { cause: error, status: error.status });
    throw error;
  }
}

/** `[active|completed|all] [page <n> <positions>]` → the filter and the page, or what to answer. */
function parseArgs(args: string): { filter: ReviewsFilter; cursor: ListCursor | undefined } | { text: string } {
  const words = args.trim().split(/\s+/).filter((word) => word !== '');
  const [first, second, ...rest] = words;
  const filter = (first ?? 'all').toLowerCase();
  if (!FILTERS.includes(filter as ReviewsFilter) || (second !== undefined && second.toLowerCase() !== 'page')) {
    return { text: `I didn't understand ${quoted(args)} after \`reviews\`. Try \`reviews active\`, \`reviews completed\` or \`reviews all\`.` };
  }
  if (second === undefined) return { filter: filter as ReviewsFilter, cursor: undefined };
  const cursor = parseCursor(rest);
  return cursor === undefined ? { text: STALE_PAGE } : { filter: filter as ReviewsFilter, cursor };
}

/**
 * `reviews [active|completed|all]`: the access review definitions the user can read, as that user, 10 per page with
 * Previous / Next (carried by Graph's `@odata.nextLink` page tokens, re-checked on every press). `active` = not yet
 * finished, `completed` = finished, over Graph's whole status vocabulary (reviews/status.ts). In personal chat every
 * review the user can read; a team channel is shared with the whole team, so only the reviews of the team's own
 * group (Graph's documented `contains` filter, re-applied on every page); a group chat has no group of its own, so
 * only a pointer.
 */
export const reviewsFeature = (suggesting: CommandDeps['suggesting'], rowButtons: readonly RowButton[] = []): Feature => ({
  async run(context) {
    const parsed = parseArgs(context.args);
    if ('text' in parsed) return parsed;
    const { filter, cursor } = parsed;
    // A shared room shows no tenant-wide list: a group chat gets the pointer, a team channel its own team's reviews.
    if (context.scope === 'groupChat') return { text: `A group chat is shared with everyone in it, so I list no reviews here. ${PERSONAL_POINTER}` };
    const teamGroup = context.scope === 'channel' ? context.teamGroupId : undefined;
    if (context.scope === 'channel' && teamGroup === undefined) {
      return { text: `This channel is shared with the whole team, but I could not tell which group the team is, so I list no reviews here. ${PERSONAL_POINTER}` };
    }
    const from: ListPosition = cursor?.positions[cursor.positions.length - 1] ?? { offset: 0 };
    let page;
    try {
      page = await withWayForward(context.graph.reviews.definitionsFrom(filter, REVIEWS_PAGE, teamGroup, from));
    } catch (error) {
      // A page token Graph no longer takes (or one altered in the card) is a 400: start again, nothing else is wrong.
      if (cursor !== undefined && isAppError(error, 'BadRequest')) return { text: STALE_PAGE };
      throw error;
    }
    const definitions = page.definitions;
    const groupIds = definitions.flatMap((definition) => [reviewedGroupId(definition), ...reviewerGroupIds(definition.reviewers)])
      .filter((id): id is string => id !== undefined);
    const wanted = [...new Set([...(teamGroup === undefined ? [] : [teamGroup.toLowerCase()]), ...groupIds])].slice(0, 15);
    const [names, instances] = await Promise.all([
      wanted.length === 0 ? Promise.resolve(new Map<string, string>()) : context.graph.directory.groupNames(wanted),
      context.graph.reviews.instancesOf(definitions.map((definition) => definition.id)),
    ]);
    const pageNumber = cursor?.page ?? 1;
    const here: ListCursor = cursor ?? { page: 1, positions: [] };
    const nextArgs = page.next === undefined ? undefined : cursorArgs(filter, { page: pageNumber + 1, positions: [...here.positions, page.next] });
    const back = pageNumber > 1 ? previousCursor(here) : undefined;
    const buttons = rowButtons.filter((button) => suggesting(button.command, context.scope, button.title) !== undefined);
    return {
      card: renderReviewsListCard({
        filter,
        ...(teamGroup === undefined ? {} : {
          // A card's markdown has bold but no code spans.
          notice: `Only the reviews of this team's group, ${names.get(teamGroup.toLowerCase()) ?? 'this team'}: this channel is shared with the whole team. ` +
            PERSONAL_POINTER.replace('`reviews`', '**reviews**'),
        }),
        hints: {
          listed: suggesting('show', context.scope, 'Type **show** and a review name for details.'),
          empty: suggesting('createReview', context.scope, 'Type **create review** to start one.'),
        },
        ...(pageNumber === 1 && !page.more ? { totalCount: definitions.length } : {
          paging: {
            page: pageNumber,
            ...(back === undefined ? {} : { previous: { title: back.first ? 'First page' : 'Previous', verb: REVIEWS_LIST, args: cursorArgs(filter, back.cursor) ?? filter } }),
            ...(nextArgs === undefined ? {} : { next: { title: 'Next', verb: REVIEWS_LIST, args: nextArgs } }),
          },
        }),
        reviews: definitions.map((definition) => ({
          displayName: definition.displayName ?? '(no name)',
          reviewedScope: describeScope(definition, names),
          // In words ("In progress", "Applied"); a status the bot does not know is shown as Graph sent it.
          status: statusWords(definition.status),
          recurrence: describeRecurrence(definition.settings?.recurrence),
          reviewers: describeReviewers(definition, names),
          currentRun: describeCurrentRun(instances.get(definition.id)),
          actions: buttons.map((button): CardButton => ({ title: button.title, verb: button.verb, args: definition.id })),
        })),
      }),
    };
  },
});
