import { DECIDE_PAGE, renderDecideCard, type DecideFilter } from '../../cards/decide';
import { decisionWords } from '../../reviews/decisionTally';
import { describeScope, reviewedGroupId } from '../../reviews/describe';
import { currentInstance, dayOf } from '../../reviews/describeDefinition';
import { principalKind, recommendationWords } from '../../reviews/recommendation';
import { timeLeft } from '../../reviews/summary';
import { plural } from '../../reviews/vocabulary';
import type { Clock } from '../clock';
import type { DecisionChoice, ReviewDefinition, ReviewInstance } from '../graph/apis';
import type { Choice, PendingChoices } from '../reviewing/pendingChoices';
import { quoted } from '../userText';
import { BULK_KINDS, buildDecideArgs, decideArgs, parseDecideArgs, pressedOf, type BulkKind, type CardTarget, type DecideStep, type Pressed } from './decideArgs';
import { askBulk, BULK, confirmBulk, nameOf, namedFailures, type Asking, type Notice, type Ref } from './decideBulk';
import type { Feature, FeatureContext, FeatureReply } from './feature';

export { decideArgs };

/** What the reviewer's commands are built with (absent where nothing is wired: catalogue tests). */
export interface ReviewingDeps {
  pending: PendingChoices;
  clock: Clock;
}

const NOT_WIRED: FeatureReply = { text: 'Deciding in chat is not available right now.' };
const FILTERS: readonly DecideFilter[] = ['all', 'undecided', 'recommendedDeny', 'guests'];
const FILTER_WORDS: Record<DecideFilter, string> = { all: 'All your items', undecided: 'Undecided', recommendedDeny: 'Recommended deny', guests: 'Guests' };
const EMPTY: Record<DecideFilter, string> = {
  all: 'You have no items in this review.',
  undecided: 'Nothing left to decide here. Submit what is pending, or look at All to change a decision.',
  recommendedDeny: 'None of your items is recommended for denial.',
  guests: 'None of your items is a guest.',
};
const NOT_YOURS = 'Only this review\'s reviewers can decide, each on their own card, and this card is not yours: nothing was kept or sent. ' +
  'Type `my reviews` for yours.';

/** A card target; a typed `decide <review>` names no instance (its current one is shown). */
type Target = Omit<CardTarget, 'instanceId'> & { instanceId?: string };

const SHOW: DecideStep = { kind: 'show' };

/** The review a typed `decide <review>` names, among those the user reviews (by id, exact name, then prefix). */
async function typedTarget(context: FeatureContext, text: string): Promise<Target | FeatureReply> {
  const wanted = text.replace(/^["“”']|["“”']$/g, '').trim().toLowerCase();
  if (wanted === '') return { text: 'Which review? Type `decide` and the review\'s name, or `my reviews` to see what you owe.' };
  const { definitions } = await context.graph.reviewer.myDefinitions();
  const name = (d: ReviewDefinition): string => (d.displayName ?? '').toLowerCase();
  const found = definitions.find((d) => d.id.toLowerCase() === wanted) ?? definitions.find((d) => name(d) === wanted)
    ?? (definitions.filter((d) => name(d).startsWith(wanted)).length === 1 ? definitions.find((d) => name(d).startsWith(wanted)) : undefined);
  if (found === undefined) return { text: `You review no access review called ${quoted(text.trim())}. \`my reviews\` lists the ones you do.` };
  return { definitionId: found.id, filter: 'undecided', page: 0, step: SHOW };
}

const isOpen = (instance: ReviewInstance): boolean => (instance.status ?? '').toLowerCase() === 'inprogress';

/**
 * `decide <review>` and the decision card's buttons (personal chat only; the reviewer's own token): one page of their
 * items with a choice each. A press keeps the page's choices as pending (in the bot's store), then shows the page
 * asked for, or submits every pending choice (a PATCH per item, in `$batch` requests), once (a claim: a double press or two replicas
 * send it once). Items Graph refuses stay pending, named with Graph's reason. The bulk buttons (approve all recommended
 * approve, deny all recommended deny, accept all recommendations) first say how many items they touch, then act once.
 */
export const decideFeature = (deps: ReviewingDeps | undefined): Feature => ({
  async run(context) {
    if (deps === undefined) return NOT_WIRED;
    const pressed = pressedOf(context);
    // A card made for someone else changes nothing, before any Graph call.
    if (pressed !== undefined && pressed.owner !== context.userId) return { text: NOT_YOURS };
    const parsed = parseDecideArgs(context.args) ?? await typedTarget(context, context.args);
    if ('text' in parsed || 'card' in parsed) return parsed;
    const target = parsed;
    const [definition, runs] = await Promise.all([
      context.graph.reviews.getDefinition(target.definitionId), context.graph.reviewer.myInstances([target.definitionId]),
    ]);
    const mine = runs.get(target.definitionId) ?? [];
    const instance = target.instanceId === undefined ? currentInstance(mine) : mine.find((run) => run.id === target.instanceId);
    const reviewName = definition.displayName ?? definition.id;
    if (instance === undefined) {
      return { text: `Only the reviewers of ${quoted(reviewName)} can decide on its items, and you have none in it: nothing was kept or sent.` };
    }
    const ref = { definitionId: definition.id, instanceId: instance.id };
    const notices: Notice[] = [];
    const { step } = target;
    let asking: Asking | undefined;
    if (!isOpen(instance)) {
      // The card says the review has closed; a press on it keeps and sends nothing.
      if ((pressed !== undefined && pressed.choices.size > 0) || step.kind === 'submit' || step.kind === 'confirm') notices.push({ text: 'Nothing was kept or sent.', warning: true });
    } else {
      if (pressed !== undefined && pressed.choices.size > 0) notices.push(...await keepChoices(context, deps, definition, ref, pressed));
      if (step.kind === 'submit') notices.push(await submitPending(context, deps, ref));
      if (step.kind === 'bulk' || step.kind === 'confirm') {
        const justification = pressed?.justification ?? '';
        const bulk = step.kind === 'bulk' ? await askBulk(context, deps, definition, ref, step.bulk, justification)
          : await confirmBulk(context, deps, definition, ref, { kind: step.bulk, count: step.count, justification });
        notices.push(bulk.notice);
        asking = bulk.asking;
      }
    }
    return renderPage(context, deps, definition, instance, target, notices, asking);
  },
});

/** Keeps the page's choices as pending; approvals without the justification the review requires are not kept. */
async function keepChoices(context: FeatureContext, deps: ReviewingDeps, definition: ReviewDefinition, ref: Ref, pressed: Pressed): Promise<Notice[]> {
  const required = definition.settings?.justificationRequiredOnApproval === true;
  const existing = (await deps.pending.get(context.userId, ref.instanceId))?.choices ?? {};
  const changes = new Map<string, Choice | null>();
  let refused = 0;
  for (const [itemId, decision] of pressed.choices) {
    if (decision === 'Approve' && required && pressed.justification === '') {
      if (existing[itemId]?.decision !== 'Approve') refused += 1;
      continue;
    }
    const choice: Choice = pressed.justification === '' ? { decision } : { decision, justification: pressed.justification };
    const before = existing[itemId];
    if (before?.decision === choice.decision && (before.justification ?? '') === (choice.justification ?? '')) continue;
    changes.set(itemId, choice);
  }
  if (changes.size > 0) await deps.pending.change(context.userId, ref, changes);
  return refused === 0 ? [] : [{
    text: `Approving needs a justification in this review: ${plural(refused, 'approval')} on this page ${refused === 1 ? 'was' : 'were'} not kept. ` +
      'Write why in the box, choose Approve again, then press.',
    warning: true,
  }];
}

/** Sends every pending choice of this reviewer for the instance, once; what Graph refuses stays pending. */
async function submitPending(context: FeatureContext, deps: ReviewingDeps, ref: Ref): Promise<Notice> {
  const outcome = await deps.pending.claim(context.userId, ref.instanceId, async () => {
    const entries = Object.entries((await deps.pending.get(context.userId, ref.instanceId))?.choices ?? {});
    if (entries.length === 0) return { text: 'Nothing pending to send: choose Approve, Deny or Don\'t know first.', warning: false };
    // The items are read from Graph as the reviewer: a choice counts only for an item that is theirs now.
    const items = new Map((await context.graph.reviewer.allMyItems(ref.definitionId, ref.instanceId)).map((item) => [item.id, item]));
    const choices: DecisionChoice[] = [];
    const gone: string[] = [];
    for (const [itemId, choice] of entries) {
      if (!items.has(itemId)) {
        gone.push(itemId);
        continue;
      }
      choices.push({ itemId, decision: choice.decision, ...(choice.justification ? { justification: choice.justification } : {}) });
    }
    const sent = choices.length === 0 ? { recorded: [], failed: [], requests: 0 } : await context.graph.reviewer.recordDecisions(ref.definitionId, ref.instanceId, choices);
    await deps.pending.change(context.userId, ref, new Map([...sent.recorded, ...gone].map((id) => [id, null])));
    const parts = [sent.recorded.length > 0 ? `Sent: ${plural(sent.recorded.length, 'decision')} recorded.` : 'Nothing was recorded.'];
    if (sent.failed.length > 0) parts.push(`Not recorded, still pending (${sent.failed.length}): ${namedFailures(sent.failed, items)}.`);
    if (gone.length > 0) parts.push(`${plural(gone.length, 'choice')} for items no longer yours ${gone.length === 1 ? 'was' : 'were'} dropped.`);
    return { text: parts.join(' '), warning: sent.failed.length > 0 || gone.length > 0 };
  });
  return outcome ?? { text: 'Your decisions for this review are being sent already: nothing was sent twice.', warning: true };
}

async function renderPage(context: FeatureContext, deps: ReviewingDeps, definition: ReviewDefinition, instance: ReviewInstance, target: Target,
  notices: readonly Notice[], asking: Asking | undefined): Promise<FeatureReply> {
  const ref = { definitionId: definition.id, instanceId: instance.id };
  const groupId = reviewedGroupId(definition);
  const read = (page: number): ReturnType<typeof context.graph.reviewer.myItems> =>
    context.graph.reviewer.myItems(ref.definitionId, ref.instanceId, { filter: target.filter, skip: page * DECIDE_PAGE, size: DECIDE_PAGE });
  const [first, [counts], pending, names] = await Promise.all([
    read(target.page), context.graph.reviewer.myItemCounts([ref]), deps.pending.get(context.userId, instance.id),
    groupId === undefined ? Promise.resolve(new Map<string, string>()) : context.graph.directory.groupNames([groupId]),
  ]);
  // A page past the end (items decided meanwhile, another filter) shows the last page instead.
  let page = target.page;
  let items = first;
  if (items.items.length === 0 && items.total > 0 && page > 0) {
    page = Math.floor((items.total - 1) / DECIDE_PAGE);
    items = await read(page);
  }
  const open = isOpen(instance);
  const choices = pending?.choices ?? {};
  const pendingCount = Object.keys(choices).length;
  const now = deps.clock.now();
  const settings = definition.settings;
  const from = page * DECIDE_PAGE;
  const args = (filter: DecideFilter, to: number, step: DecideStep = SHOW): string => buildDecideArgs({ ...ref, filter, page: to, step });
  const closed = open ? [] : [{ text: `This review has closed (${instance.status ?? 'finished'}): decisions can no longer be recorded.`, warning: true }];
  const shown = [...closed, ...notices];
  return {
    card: renderDecideCard({
      title: definition.displayName ?? '(no name)',
      run: `${describeScope(definition, names)} · ends ${dayOf(instance.endDateTime)} · ${timeLeft(instance, now)}`,
      standing: counts === undefined ? `${plural(pendingCount, 'choice')} pending`
        : `You: ${counts.undecided.toLocaleString('en-US')} of ${counts.total.toLocaleString('en-US')} to decide · ${pendingCount.toLocaleString('en-US')} pending`,
      notice: shown.map((notice) => notice.text).join('\n\n'),
      noticeIsWarning: shown.some((notice) => notice.warning),
      itemsTitle: items.total === 0 ? FILTER_WORDS[target.filter]
        : `${FILTER_WORDS[target.filter]} · ${from + 1}–${from + items.items.length} of ${items.total.toLocaleString('en-US')}`,
      emptyText: EMPTY[target.filter],
      items: items.items.map((item) => {
        const decided = (item.decision ?? 'NotReviewed').toLowerCase() !== 'notreviewed';
        return {
          itemId: item.id, name: nameOf(item, item.id),
          kind: ` · ${principalKind(item.principal)}${item.principal.userPrincipalName ? ` · ${item.principal.userPrincipalName}` : ''}`,
          reason: recommendationWords({ recommendation: item.recommendation, lastSignIn: item.principal.lastUserSignInDateTime },
            { recommendationsEnabled: settings?.recommendationsEnabled ?? null, lookBack: (settings as { recommendationLookBackDuration?: string | null } | undefined)?.recommendationLookBackDuration ?? null }, now),
          recorded: decided ? `Recorded: ${decisionWords(item.decision)}${item.justification ? ` (“${item.justification}”)` : ''}` : '',
          pending: open ? choices[item.id]?.decision ?? '' : '',
        };
      }),
      justificationRequired: settings?.justificationRequiredOnApproval === true,
      footer: open ? 'Your choices are kept (pending) until you press Submit, and a decision can be changed until the review ends. ' +
        'Next, Previous and the filters keep this page\'s choices too.' : 'Decisions can no longer be changed.',
      owner: context.userId,
      previous: page > 0 ? args(target.filter, page - 1) : '',
      next: from + items.items.length < items.total ? args(target.filter, page + 1) : '',
      submit: open ? args(target.filter, page, { kind: 'submit' }) : '',
      submitTitle: pendingCount > 0 ? `Submit ${pendingCount.toLocaleString('en-US')} pending` : 'Submit',
      filter: target.filter,
      filters: Object.fromEntries(FILTERS.map((filter) => [filter, args(filter, 0)])) as Record<DecideFilter, string>,
      // While a bulk choice waits for its Confirm, its Confirm and Back replace the bulk buttons.
      ...(open && asking === undefined
        ? { bulk: Object.fromEntries(BULK_KINDS.map((kind) => [kind, args(target.filter, page, { kind: 'bulk', bulk: kind })])) as Record<BulkKind, string> } : {}),
      ...(open && asking !== undefined ? {
        confirm: {
          title: BULK[asking.kind].confirm(asking.count), args: args(target.filter, page, { kind: 'confirm', bulk: asking.kind, count: asking.count }),
          back: args(target.filter, page), justification: asking.justification,
        },
      } : {}),
    }),
  };
}
