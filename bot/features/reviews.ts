import { renderReviewsListCard, type ReviewsFilter } from '../../cards';
import { describeRecurrence, describeScope, reviewedGroupId } from '../../reviews/describe';
import { statusWords } from '../../reviews/status';
import { suggesting } from '../commands';
import { quoted } from '../userText';
import type { Feature } from './feature';

const FILTERS: readonly ReviewsFilter[] = ['active', 'completed', 'all'];

/**
 * `reviews [active|completed|all]`: the access review definitions the user can read, as that user. `active` = not yet
 * finished, `completed` = finished, over Graph's whole status vocabulary (reviews/status.ts).
 */
export const reviewsFeature: Feature = {
  async run(context) {
    const word = context.args.trim().toLowerCase();
    if (word !== '' && !FILTERS.includes(word as ReviewsFilter)) {
      return { text: `I didn't understand ${quoted(context.args)} after \`reviews\`. Try \`reviews active\`, \`reviews completed\` or \`reviews all\`.` };
    }
    const filter = (word || 'all') as ReviewsFilter;
    const page = await context.graph.reviews.listDefinitions(filter, 11);
    const names = await context.graph.directory.groupNames(page.definitions.map(reviewedGroupId).filter((id): id is string => id !== undefined));
    return {
      card: renderReviewsListCard({
        filter,
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
};
