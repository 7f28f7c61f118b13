import { renderConfirmActionCard } from '../../cards';
import {
  REVIEW_ACTION_CANCEL, REVIEW_ACTION_CONFIRM, REVIEW_APPLY, REVIEW_DELETE, REVIEW_REMIND, REVIEW_RESET, REVIEW_STOP, type CardVerb,
} from '../../cards/verbs';
import { actionCard, currentRun, refusalFor, runsStartedWith, severalRunsText, type ActionCard, type ActionSettings, type AdminKind, type Run, type RunCounts } from '../../reviews/adminActions';
import { reviewedGroupId } from '../../reviews/describe';
import type { Clock } from '../clock';
import { AppError, isAppError } from '../errors';
import type { GraphApis, ReviewDefinition } from '../graph/apis';
import { PendingActions, type PendingAction } from '../pending/pendingActions';
import type { KeyValueStore } from '../storage/keyValueStore';
import { cleanText, plainText, quoted } from '../userText';
import type { Feature, FeatureContext, FeatureReply } from './feature';
import { findReview } from './findReview';

/** The destructive actions, each confirmed on a card first. */
export type ConfirmedKind = Exclude<AdminKind, 'remind'>;

/** What a confirmation stands for: the ids it acts on (re-checked against Graph on the press) and the card it showed. */
export interface AdminPayload {
  kind: ConfirmedKind;
  definitionId: string;
  /** The run it acts on (absent for delete of a review without runs). */
  instanceId?: string;
  /** As shown (already quoted). */
  reviewName: string;
  card: ActionCard;
  counts?: RunCounts;
  groupName?: string;
}

/** What was done (said again to a second press). */
export interface AdminResult {
  text: string;
  /** False when the press ended without acting (the review was gone, or its run no longer allowed it). */
  acted?: boolean;
}

export type AdminAction = PendingAction<AdminPayload, AdminResult>;
export type AdminActionStore = PendingActions<AdminPayload, AdminResult>;

/** A confirmation waits a day for its owner; a press holds it ten minutes at most (a crashed press frees it). */
export const createAdminActionStore = (store: KeyValueStore, clock: Clock): AdminActionStore =>
  new PendingActions<AdminPayload, AdminResult>(store, { kind: 'reviewActions', ttlSeconds: 24 * 3600, claimSeconds: 600, clock });

/** The review's name as the bot shows it (Graph's text, shown as code, clipped). */
export const nameOf = (definition: ReviewDefinition): string => quoted(definition.displayName ?? '(no name)', 80);

/** The settings of a definition these actions care about (Graph's settings object, read tolerantly). */
export function settingsOf(definition: ReviewDefinition): ActionSettings {
  const settings = (definition.settings ?? {}) as {
    autoApplyDecisionsEnabled?: boolean | null; defaultDecisionEnabled?: boolean | null; defaultDecision?: string | null;
    applyActions?: Array<{ '@odata.type'?: string | null }> | null;
  };
  return {
    autoApply: settings.autoApplyDecisionsEnabled === true,
    ...(settings.defaultDecisionEnabled === true && settings.defaultDecision && settings.defaultDecision !== 'None' ? { defaultDecision: settings.defaultDecision } : {}),
    disablesGuests: (settings.applyActions ?? []).some((a) => a['@odata.type'] === '#microsoft.graph.disableAndDeleteUserApplyAction'),
  };
}

/** The run's decision counts, each with the documented `decision eq` filter (the total without one). */
export async function countsOf(graph: GraphApis, definitionId: string, instanceId: string): Promise<RunCounts> {
  const [total, notReviewed, denied] = await Promise.all([
    graph.reviews.countInstanceDecisions(definitionId, instanceId),
    graph.reviews.countInstanceDecisions(definitionId, instanceId, 'NotReviewed'),
    graph.reviews.countInstanceDecisions(definitionId, instanceId, 'Deny'),
  ]);
  return { total: total.count, notReviewed: notReviewed.count, denied: denied.count, complete: total.complete && notReviewed.complete && denied.complete };
}

/** The group a run (or its review) reviews, by name, if Graph names it. */
async function groupNameOf(graph: GraphApis, definition: ReviewDefinition, run: Run | undefined): Promise<string | undefined> {
  const id = reviewedGroupId({ scope: run?.scope ?? definition.scope }) ?? reviewedGroupId(definition);
  if (id === undefined) return undefined;
  const names = await graph.directory.groupNames([id]);
  const name = names.get(id);
  return name === undefined ? undefined : quoted(name, 80);
}

/** The confirmation card of a pending admin action (with a notice above it when it replaces an outdated one). */
export function adminCard(action: AdminAction, notice?: string, outcome?: string): Record<string, unknown> {
  const { card } = action.payload;
  return renderConfirmActionCard({
    confirmationId: action.id, revision: action.revision, ...(notice === undefined ? {} : { notice }), ...(outcome === undefined ? {} : { outcome }),
    // Built in the chat's markdown (names as code spans): a card shows text as typed.
    title: plainText(card.title), lines: card.lines.map((line) => ({ label: line.label, value: plainText(line.value) })), warnings: card.warnings.map(plainText), problems: [],
    act: { title: card.act, verb: REVIEW_ACTION_CONFIRM }, canAct: true,
    actNote: `Nothing changes until you press ${card.act}. It acts as you, with your own permissions.`,
    cancel: { title: 'Cancel', verb: REVIEW_ACTION_CANCEL },
  });
}

/** `remind <review>`: sendReminder on the current run, at once (not destructive), answering what it did. */
async function remind(graph: GraphApis, definition: ReviewDefinition, run: Run): Promise<FeatureReply> {
  const name = nameOf(definition);
  const pending = await graph.reviews.countInstanceDecisions(definition.id, run.id, 'NotReviewed');
  try {
    await graph.reviews.instanceAction(definition.id, run.id, 'sendReminder');
  } catch (error) {
    if (isAppError(error, 'GraphUnavailable')) {
      // A 5xx after the POST: Graph may or may not have sent them, and it keeps no record the bot can read.
      return { text: `Microsoft Graph answered with an error after I asked it to send the reminders for ${name}, ` +
        'so I cannot tell whether they went out. Reminding again only sends reviewers one more email; try again in a minute.' };
    }
    throw error;
  }
  const items = `${pending.complete ? '' : 'at least '}${pending.count.toLocaleString('en-US')} item${pending.count === 1 ? '' : 's'}`;
  return { text: `Reminders sent: Microsoft Graph is emailing the reviewers of the current run of ${name} (ends ${String(run.endDateTime ?? '').slice(0, 10) || 'at an unknown date'}), ` +
    `who still have ${items} not reviewed.` };
}

/**
 * `stop|remind|apply|reset|delete <review>` as the asking user: the review (typed name or id, re-read from Graph),
 * its current run, the precondition in words; then remind acts, and the others start a pending action (owned by the
 * asker, in this conversation) and show its confirmation card with the numbers of what will happen.
 */
export function adminFeature(kind: AdminKind, store: AdminActionStore | undefined): Feature {
  return {
    async run(context) {
      try {
        return await prepare(kind, store, context);
      } catch (error) {
        // Someone without a role may be refused a read on the way (the runs list): the answer names the action and its role.
        if (isAppError(error, 'Forbidden')) {
          throw new AppError('Forbidden', `${error.userMessage} ${ACTION_ROLE[kind]} Nothing was changed.`, { cause: error, status: error.status });
        }
        // A read that failed after retries, or a 429 on remind's POST (Graph did nothing): nothing was changed.
        if (isAppError(error, 'Throttled') || isAppError(error, 'GraphUnavailable')) {
          throw new AppError(error.code, `${error.userMessage} Nothing was changed.`, { cause: error, status: error.status, retryAfterSeconds: error.retryAfterSeconds });
        }
        throw error;
      }
    },
  };
}

/** The verb that replays each command with a review's id (a choice card's buttons). */
const REPLAY: Record<AdminKind, CardVerb> = { stop: REVIEW_STOP, remind: REVIEW_REMIND, apply: REVIEW_APPLY, reset: REVIEW_RESET, delete: REVIEW_DELETE };

/** What each command needs (reference 1.6: the actions are writes). */
const WRITE_ROLE = 'needs the Identity Governance Administrator or User Administrator role.';
const ACTION_ROLE: Record<AdminKind, string> = {
  stop: `Stopping a review ${WRITE_ROLE}`, remind: `Sending reminders ${WRITE_ROLE}`, apply: `Applying decisions ${WRITE_ROLE}`,
  reset: `Resetting decisions ${WRITE_ROLE}`, delete: `Deleting a review ${WRITE_ROLE}`,
};

/** The review, its current run and the precondition; then remind acts, the others make the confirmation card. */
async function prepare(kind: AdminKind, store: AdminActionStore | undefined, context: FeatureContext): Promise<FeatureReply> {
  const found = await findReview(context, { phrase: kind, verb: REPLAY[kind] });
  if (found.kind === 'answer') return found.reply;
  const { review } = found;
  const { graph } = context;
  const name = nameOf(review);
  const runs = await graph.reviews.reviewInstances(review.id);
  const run = currentRun(runs);
  const together = runsStartedWith(runs, run);
  if (kind !== 'delete' && together > 1) return { text: severalRunsText(kind, name, together) };
  const settings = settingsOf(review);
  const refusal = refusalFor(kind, name, run, settings);
  if (refusal !== undefined) return { text: refusal };
  if (kind === 'remind') return remind(graph, review, run as Run);
  if (store === undefined) throw new AppError('Internal', 'This action is not available right now.');
  const [counts, groupName] = await Promise.all([
    run === undefined ? undefined : countsOf(graph, review.id, run.id),
    kind === 'apply' || kind === 'stop' ? groupNameOf(graph, review, run) : undefined,
  ]);
  // A card's text has no code spans (they show as backticks): the name goes in quotes there.
  const card = actionCard(kind, { name: `"${cleanText(review.displayName ?? '(no name)', 80)}"`, run, counts, settings, groupName, runCount: runs.length });
  const payload: AdminPayload = {
    kind, definitionId: review.id, reviewName: name, card,
    ...(run === undefined ? {} : { instanceId: run.id }), ...(counts === undefined ? {} : { counts }), ...(groupName === undefined ? {} : { groupName }),
  };
  const requester = { id: context.userId, name: context.turn.activity.from?.name ?? 'the person who asked' };
  const action = await store.start(requester, context.turn.activity.conversation?.id ?? '', payload);
  return { card: adminCard(action) };
}
