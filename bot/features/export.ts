import { parseReviewList, resolveReview, type ReviewReference } from '../../reviews/resolveReview';
import { isAppError } from '../errors';
import type { ExportService } from '../exports/exportService';
import type { ReviewDefinition } from '../graph/apis';
import { quoted } from '../userText';
import type { Feature, FeatureContext } from './feature';

const USAGE = 'Type `export <review>` (its name, in quotes if it has spaces, or its id), several separated by commas, or `export all`.';
/** Pages of definitions `export all` reads (100 each): past them it says how many it left out. */
const ALL_PAGES = 50;

type Found = { kind: 'found'; reviews: ReviewDefinition[] } | { kind: 'answer'; text: string };

/** Each typed review → one review the user can read; any that is unknown or ambiguous stops the export (it says which). */
async function chosenReviews(context: FeatureContext, references: readonly ReviewReference[]): Promise<Found> {
  const problems: string[] = [];
  const found = new Map<string, ReviewDefinition>();
  const byName = references.some((reference) => reference.kind === 'name') ? await context.graph.reviews.allDefinitions() : undefined;
  for (const reference of references) {
    if (reference.kind === 'id') {
      try {
        const review = await context.graph.reviews.getDefinition(reference.id);
        found.set(review.id, review);
      } catch (error) {
        if (!isAppError(error, 'NotFound')) throw error;
        problems.push(`no access review has the id ${quoted(reference.id)}`);
      }
      continue;
    }
    const resolution = resolveReview(reference, byName?.definitions ?? [], { maxMatches: 5, maxClosest: 3 });
    if (resolution.kind === 'one') found.set(resolution.review.id, resolution.review);
    else if (resolution.kind === 'several') {
      problems.push(`${resolution.total} reviews match ${quoted(reference.name)} (${resolution.matches.map((r) => `"${r.displayName ?? r.id}"`).join(', ')}): type the whole name in quotes, or the id`);
    } else {
      const closest = resolution.closest.length === 0 ? '' : ` (did you mean ${resolution.closest.map((name) => `"${name}"`).join(', ')}?)`;
      problems.push(`no access review you can read is called ${quoted(reference.name)}${closest}`);
    }
  }
  if (problems.length > 0) return { kind: 'answer', text: `I exported nothing: ${problems.join('; ')}. Type \`reviews\` to see them.` };
  return { kind: 'found', reviews: [...found.values()] };
}

/**
 * `export <review>[, <review>...] | all` (personal chat only: a file of per-principal decisions is never posted in a
 * shared room): every decision of every instance of those reviews, read as the asking user, as one CSV file.
 */
export const exportFeature = (service: ExportService | undefined): Feature => ({
  async run(context) {
    if (service === undefined) return { text: 'Exporting is not set up in this bot.' };
    if (context.scope !== 'personal') return { text: 'A file of decisions is only sent in personal chat. Send `export` to me there.' };
    const list = parseReviewList(context.args, { acceptAll: true });
    if (list.kind === 'empty') return { text: `Which reviews? ${USAGE}` };
    let reviews: ReviewDefinition[];
    let unread = '';
    if (list.kind === 'all') {
      const all = await context.graph.reviews.allDefinitions(ALL_PAGES);
      reviews = all.definitions;
      if (!all.complete) unread = ` I exported the first ${(ALL_PAGES * 100).toLocaleString('en-US')} reviews only: export the others by name or id.`;
    } else {
      const found = await chosenReviews(context, list.references);
      if (found.kind === 'answer') return { text: found.text };
      reviews = found.reviews;
    }
    if (reviews.length === 0) return { text: 'You can read no access reviews, so there is nothing to export.' };
    const reply = await service.export(context, reviews);
    return 'text' in reply ? { text: `${reply.text}${unread}` } : reply;
  },
});
