import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { renderCreatedCard, renderCreateFailedCard } from '../../cards';
import { REVIEW_CANCEL, REVIEW_CHANGE, REVIEW_CREATE } from '../../cards/verbs';
import { toDefinition } from '../../reviews/definition';
import type { FollowUpCommand } from '../../cards/types';
import { adminCenterLink, createdStatus, describeSettings, firstRunText, formatDay } from '../../reviews/describeSettings';
import { validateSettings } from '../../reviews/validateSettings';
import { invokeReply, type VerbHandlers } from '.';
import { confirmThenAct, type ConfirmThenActSpec } from './confirmThenAct';
import { isAppError } from '../errors';
import type { UserGraph } from '../features/runner';
import { commandNamed, worksIn } from '../commands';
import { scopeOf, userIdOf, type Scope } from '../turn';
import { todayOf, type Clock } from '../clock';
import type { Logger } from '../logger';
import { draftCard } from '../creation/confirmation';
import type { CreatedReview, DraftPayload, DraftStore, ReviewDraft } from '../creation/drafts';
import { createOnce } from '../creation/safeCreate';

/** Opens the change-a-setting wizard for a draft (provided by the bot, which owns the dialogs). */
export type StartChange = (turn: TurnContext, draft: ReviewDraft) => Promise<void>;

const message = (text: string): AdaptiveCardInvokeResponse => invokeReply({ text });
const card = (value: Record<string, unknown>): AdaptiveCardInvokeResponse => invokeReply({ card: value });

/**
 * How to follow the new review: the catalogue's `reviews` command, only where this version runs it. Outside personal
 * chat it points there: a group chat or a channel is a shared room, which (product spec, `reviews`) lists none or only
 * the team's own group's reviews, so the new review might not be in it.
 */
function followUp(scope: Scope): FollowUpCommand | undefined {
  const list = commandNamed('reviews');
  const command = list.phrases[0];
  if (command === undefined || !worksIn(list, 'personal')) return undefined;
  return { command, where: scope === 'personal' ? 'here' : 'personalChat' };
}

/**
 * The result card of a created draft. `pressed` is the revision of the card pressed: an older one than the draft's
 * showed other settings than those created, so the card then says the review was already created, with its settings.
 */
function createdCard(draft: ReviewDraft, created: CreatedReview, turn: TurnContext, today: string, pressed: number | undefined): AdaptiveCardInvokeResponse {
  const outdated = pressed !== draft.revision;
  return card(renderCreatedCard({
    name: created.name, id: created.definitionId, link: adminCenterLink(created.definitionId),
    status: createdStatus(created.status, created.startDate, today),
    firstRun: created.startDate === undefined ? created.firstRun : firstRunText(created.startDate, today),
    followUp: followUp(scopeOf(turn)),
    ...(outdated ? {
      alreadyCreated: true,
      notice: 'This card showed an earlier version of the draft. The review was created from a later version, with the settings below. ' +
        'Nothing was created now.',
      settings: describeSettings(draft.payload.settings),
    } : {}),
  }));
}

/**
 * The confirmation card's buttons, on the confirm-then-act rules (only the draft's owner, in its conversation,
 * on the card's current revision). Create makes the review exactly once — with the presser's own token, from
 * the stored draft (never from card data) — and answers with the result card; a second press finds the first
 * one's result. Cancel and Change a setting act on the same draft.
 */
export function creationActions(drafts: DraftStore, graphFor: UserGraph, startChange: StartChange, clock: Clock, log: Logger): VerbHandlers {
  const today = (): string => todayOf(clock);
  const rules: Omit<ConfirmThenActSpec<DraftPayload, CreatedReview>, 'needsGraph' | 'act'> = {
    actions: drafts,
    noun: 'draft',
    unknownText: 'This confirmation has expired or is unknown: nothing was created. Start again with `create review`.',
    current: (draft) => card(draftCard(draft, today(), 'This card was out of date: here is the draft as it is now. Nothing was done.')),
    final: (draft, press) => (draft.state === 'done' && draft.result
      ? createdCard(draft, draft.result, press.turn, today(), press.revision)
      : message('This review was cancelled: nothing was created.')),
  };
  return {
    [REVIEW_CREATE]: confirmThenAct({
      ...rules,
      needsGraph: true,
      async act(turn, draft) {
        const { settings } = draft.payload;
        const problems = validateSettings(settings, today());
        if (problems.length > 0) {
          return card(renderCreateFailedCard({ title: 'This review cannot be created as it is', reason: problems.map((p) => p.reason).join(' '),
            confirmationId: draft.id, revision: draft.revision, changeStep: 'which', changeLabel: 'a setting' }));
        }
        if (!(await drafts.claim(draft))) return message('This review is being created already; its result card follows in a moment.');
        try {
          const body = toDefinition(settings);
          // Unique per confirmation: lets a create whose answer was lost be recognised among same-named reviews.
          const tagged = { ...body, descriptionForAdmins: `${body.descriptionForAdmins} (Created in Microsoft Teams, request ${draft.id}.)` };
          const { definition, recovered } = await createOnce(graphFor(turn).reviews, tagged, userIdOf(turn), log, clock);
          const created: CreatedReview = {
            definitionId: definition.id ?? '', name: definition.displayName ?? settings.name, status: definition.status ?? 'NotStarted',
            firstRun: formatDay(settings.schedule.startDate), startDate: settings.schedule.startDate,
          };
          await drafts.finish(draft, created);
          log.info({ definitionId: created.definitionId, recovered, draftId: draft.id, revision: draft.revision }, 'access review created');
          return createdCard(draft, created, turn, today(), draft.revision);
        } catch (error) {
          await drafts.release(draft);
          if (!isAppError(error) || error.code === 'SignInRequired') throw error;
          const transient = error.code === 'Throttled' || error.code === 'GraphUnavailable';
          return card(renderCreateFailedCard({
            title: transient ? 'Microsoft Graph is busy' : 'The review was not created',
            reason: error.userMessage, confirmationId: draft.id, revision: draft.revision, canRetry: transient,
            ...(error.code === 'BadRequest' ? { changeStep: 'which', changeLabel: 'a setting' } : {}),
          }));
        }
      },
    }),
    [REVIEW_CANCEL]: confirmThenAct({
      ...rules,
      needsGraph: false,
      async act(turn, draft) {
        const outcome = await drafts.cancel(draft);
        if (outcome.kind === 'busy') return message('This review is being created right now, so it can no longer be cancelled.');
        // Created meanwhile, from the revision this card showed (it was admitted as current).
        if (outcome.kind === 'final' && outcome.action.state === 'done') return rules.final(outcome.action, { turn, revision: draft.revision });
        return message('Cancelled: nothing was created.');
      },
    }),
    [REVIEW_CHANGE]: confirmThenAct({
      ...rules,
      needsGraph: false,
      async act(turn, draft) {
        await startChange(turn, draft);
        return message('Which setting would you like to change? (see below)');
      },
    }),
  };
}
