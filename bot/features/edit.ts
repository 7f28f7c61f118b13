import { renderConfirmActionCard } from '../../cards';
import { REVIEW_EDIT_CANCEL, REVIEW_EDIT_CONFIRM } from '../../cards/verbs';
import { applyEdit, editLines, editRefusal, editWarnings, type EditChange, type EditLine } from '../../reviews/editDefinition';
import { parseReviewArgument } from '../../reviews/resolveReview';
import { todayOf, type Clock } from '../clock';
import { EDIT_CHANGE_WORDS, EDIT_KEYWORDS, parseEdit } from '../commands/editGrammar';
import { AppError, isAppError } from '../errors';
import type { ReviewDefinition } from '../graph/apis';
import { PendingActions, type PendingAction } from '../pending/pendingActions';
import type { KeyValueStore } from '../storage/keyValueStore';
import { cleanText, quoted } from '../userText';
import type { Feature, FeatureContext, FeatureReply } from './feature';
import { findReview } from './findReview';

/**
 * `edit <review> <changes>`: reads the review as the asker, parses the changes (bot/commands/editGrammar.ts), refuses
 * what Graph would refuse (with the reason, before calling it), and shows a confirm-then-act card with each change as
 * before → after. Only the asker, in this conversation, can press Save (bot/cardActions/editActions.ts), which re-reads
 * the definition, makes the same changes to it and PUTs the whole object back.
 */

/** What a confirmation stands for: the review and the changes (applied again to the definition as it is on the press). */
export interface EditPayload {
  definitionId: string;
  /** As shown in text answers (already quoted). */
  reviewName: string;
  /** As shown on the card (in straight quotes: a card's text has no code spans). */
  cardName: string;
  changes: EditChange[];
  /** The rows the card showed. */
  lines: EditLine[];
  warnings: string[];
}

export interface EditResult {
  text: string;
  acted?: boolean;
}

export type EditAction = PendingAction<EditPayload, EditResult>;
export type EditActionStore = PendingActions<EditPayload, EditResult>;

/** The confirmations of `edit` and the clock that says "today". Built once in app.ts. */
export interface EditDeps {
  actions: EditActionStore;
  clock: Clock;
}

export const createEditDeps = (store: KeyValueStore, clock: Clock): EditDeps => ({
  actions: new PendingActions<EditPayload, EditResult>(store, { kind: 'reviewEdits', ttlSeconds: 24 * 3600, claimSeconds: 600, clock }),
  clock,
});

export const EDIT_ROLE = 'Changing a review needs the Identity Governance Administrator or User Administrator role.';

/** Teams renders a card's TextBlocks as markdown: a word joiner between `]` and `(` keeps `[x](url)` from becoming a link. */
const inertLinks = (text: string): string => text.replace(/\]\(/g, ']\u2060(');
/** A card's rows: Graph's and the user's text on one line, without controls, never a link (the card clips it). */
const cardLines = (lines: readonly EditLine[]): EditLine[] => lines.map((line) => ({ label: line.label, value: inertLinks(cleanText(line.value, 600)) }));

/** The confirmation card of a pending edit (with a notice above it when it replaces an outdated one). */
export function editCard(action: EditAction, notice?: string, outcome?: string): Record<string, unknown> {
  const { payload } = action;
  return renderConfirmActionCard({
    confirmationId: action.id, revision: action.revision, ...(notice === undefined ? {} : { notice }), ...(outcome === undefined ? {} : { outcome }),
    title: `Change ${payload.cardName}?`,
    lines: cardLines(payload.lines), warnings: payload.warnings, problems: [],
    act: { title: 'Save changes', verb: REVIEW_EDIT_CONFIRM }, canAct: true,
    actNote: 'Nothing changes until you press Save changes. It acts as you, with your own permissions.',
    cancel: { title: 'Cancel', verb: REVIEW_EDIT_CANCEL },
  });
}

/** True when `words[i]` starts a change that can be made (`for` needs a number after it, `if` needs `no`, `admin` needs `description`). */
function startsChange(words: readonly string[], i: number): boolean {
  const [word, next] = [words[i]?.toLowerCase() ?? '', words[i + 1]?.toLowerCase() ?? ''];
  if (word === 'for' || word === 'after') return /^\d+$/.test(next);
  if (word === 'if') return next === 'no';
  if (word === 'admin') return next === 'description';
  return EDIT_CHANGE_WORDS.includes(word);
}

/**
 * Where the review's name ends: a quoted name or an id is read by findReview (it stops at the first option word after
 * a closing quote). An unquoted name ends at the first word that starts a change; without one, at the first word that
 * asks for what `edit` refuses (so `edit Sales members` gets the reason, and `edit Sales guests review mail off` works).
 */
function nameAndChanges(args: string): { reviewText: string; rest?: string } {
  const trimmed = args.trim();
  const { argument } = parseReviewArgument(trimmed);
  if (argument.kind === 'id' || /^["“”'‘’]/.test(trimmed)) return { reviewText: trimmed };
  const words = trimmed.split(/\s+/);
  let at = words.findIndex((_word, index) => index > 0 && startsChange(words, index));
  if (at < 0) at = words.findIndex((word, index) => index > 0 && EDIT_KEYWORDS.includes(word.toLowerCase()));
  return at < 0 ? { reviewText: trimmed, rest: '' } : { reviewText: words.slice(0, at).join(' '), rest: words.slice(at).join(' ') };
}

async function prepare(deps: EditDeps, context: FeatureContext): Promise<FeatureReply> {
  const { reviewText, rest: unquotedRest } = nameAndChanges(context.args);
  const found = await findReview({ ...context, args: reviewText }, { phrase: 'edit', trailingKeywords: EDIT_KEYWORDS });
  if (found.kind === 'answer') return found.reply;
  const { review } = found;
  const rest = unquotedRest ?? found.rest;
  const name = quoted(review.displayName ?? '(no name)', 80);
  const parsed = parseEdit(rest);
  if (parsed.kind === 'error') return { text: `${parsed.message} Nothing was changed in ${name}.` };
  const refusal = editRefusal(review, parsed.changes, todayOf(deps.clock));
  if (refusal !== undefined) return { text: `I can't make that change to ${name}: ${refusal} Nothing was changed.` };
  const body = applyEdit(review, parsed.changes);
  const { changed } = editLines(review, body, parsed.changes);
  if (changed.length === 0) return { text: `${name} already has those settings: nothing to change.` };
  const cardName = `"${inertLinks(cleanText(review.displayName ?? '(no name)', 80))}"`;
  const payload: EditPayload = { definitionId: review.id, reviewName: name, cardName, changes: parsed.changes, lines: changed, warnings: editWarnings(body) };
  const requester = { id: context.userId, name: context.turn.activity.from?.name ?? 'the person who asked' };
  const action = await deps.actions.start(requester, context.turn.activity.conversation?.id ?? '', payload);
  return { card: editCard(action) };
}

/** The PUT body for `definition` as it is now, or why not (said to the presser). */
export function editNow(definition: ReviewDefinition, changes: readonly EditChange[], today: string):
  { kind: 'put'; body: Record<string, unknown>; lines: EditLine[] } | { kind: 'refused'; text: string } | { kind: 'same' } {
  const refusal = editRefusal(definition, changes, today);
  if (refusal !== undefined) return { kind: 'refused', text: refusal };
  const body = applyEdit(definition, changes);
  const { changed } = editLines(definition, body, changes);
  return changed.length === 0 ? { kind: 'same' } : { kind: 'put', body, lines: changed };
}

/** `edit <review> <changes>` as the asking user. */
export function editFeature(deps: EditDeps | undefined): Feature {
  return {
    async run(context) {
      if (deps === undefined) throw new AppError('Internal', 'This action is not available right now.');
      try {
        return await prepare(deps, context);
      } catch (error) {
        if (isAppError(error, 'Forbidden')) throw new AppError('Forbidden', `${error.userMessage} ${EDIT_ROLE} Nothing was changed.`, { cause: error, status: error.status });
        if (isAppError(error, 'Throttled') || isAppError(error, 'GraphUnavailable')) {
          throw new AppError(error.code, `${error.userMessage} Nothing was changed.`, { cause: error, status: error.status, retryAfterSeconds: error.retryAfterSeconds });
        }
        throw error;
      }
    },
  };
}
