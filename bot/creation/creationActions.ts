import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { renderCreatedCard, renderCreateFailedCard } from '../../cards';
import { REVIEW_CANCEL, REVIEW_CHANGE, REVIEW_CREATE } from '../../cards/verbs';
import { toDefinition } from '../../reviews/definition';
import { adminCenterLink, formatDay } from '../../reviews/describeSettings';
import { validateSettings } from '../../reviews/validateSettings';
import { invokeReply, type VerbHandlers } from '../cardActions';
import { isAppError } from '../errors';
import type { SenderGraph } from '../features/runner';
import { userIdOf } from '../features/runner';
import type { Logger } from '../logger';
import type { Draft, DraftStore } from './drafts';
import { createOnce } from './safeCreate';

/** Opens the change-a-setting wizard for a draft (provided by the bot, which owns the dialogs). */
export type StartChange = (turn: TurnContext, draft: Draft) => Promise<void>;

const message = (text: string): AdaptiveCardInvokeResponse => invokeReply({ text });
const card = (value: Record<string, unknown>): AdaptiveCardInvokeResponse => invokeReply({ card: value });
const today = (): string => new Date().toISOString().slice(0, 10);
const confirmationIdOf = (data: unknown): unknown => (typeof data === 'object' && data !== null ? (data as { confirmationId?: unknown }).confirmationId : undefined);
const GONE = 'This confirmation has expired or is unknown: nothing was created. Start again with `create review`.';

function createdCard(created: NonNullable<Draft['created']>): AdaptiveCardInvokeResponse {
  return card(renderCreatedCard({ name: created.name, id: created.definitionId, status: created.status, firstRun: created.firstRun, link: adminCenterLink(created.definitionId) }));
}

/**
 * The confirmation card's buttons. Create makes the review exactly once — with the presser's own token, from
 * the draft the card's id names (never from card data) — and answers with the result card; a second press
 * finds the first one's result. Cancel and Change a setting act on the same draft.
 */
export function creationActions(drafts: DraftStore, graphFor: SenderGraph, startChange: StartChange, log: Logger): VerbHandlers {
  /** The draft a button names, or the answer when there is nothing left to do (unknown, or already created). */
  const openDraft = async (data: unknown): Promise<Draft | AdaptiveCardInvokeResponse> => {
    const draft = await drafts.get(confirmationIdOf(data));
    if (!draft) return message(GONE);
    if (draft.status === 'created' && draft.created) return createdCard(draft.created);
    return draft;
  };
  return {
    [REVIEW_CREATE]: {
      needsGraph: true,
      async handle(turn, data) {
        const draft = await openDraft(data);
        if (!('settings' in draft)) return draft;
        if (draft.status === 'cancelled') return message('This review was cancelled: nothing was created.');
        const problems = validateSettings(draft.settings, today());
        if (problems.length > 0) {
          return card(renderCreateFailedCard({ title: 'This review cannot be created as it is', reason: problems.map((p) => p.reason).join(' '), confirmationId: draft.id, changeStep: 'which', changeLabel: 'a setting' }));
        }
        if (!(await drafts.claim(draft.id))) return message('This review is being created already; its result card follows in a moment.');
        try {
          const body = toDefinition(draft.settings);
          // Unique per confirmation: lets a create whose answer was lost be recognised among same-named reviews.
          const tagged = { ...body, descriptionForAdmins: `${body.descriptionForAdmins} (Created in Microsoft Teams, request ${draft.id}.)` };
          const { definition, recovered } = await createOnce(await graphFor(turn), tagged, userIdOf(turn), log);
          const created = {
            definitionId: definition.id ?? '', name: definition.displayName ?? draft.settings.name, status: definition.status ?? 'NotStarted',
            firstRun: formatDay(draft.settings.schedule.startDate),
          };
          await drafts.save({ ...draft, status: 'created', created });
          log.info({ definitionId: created.definitionId, recovered, draftId: draft.id }, 'access review created');
          return createdCard(created);
        } catch (error) {
          await drafts.release(draft.id);
          if (!isAppError(error) || error.code === 'SignInRequired') throw error;
          const transient = error.code === 'Throttled' || error.code === 'GraphUnavailable';
          return card(renderCreateFailedCard({
            title: transient ? 'Microsoft Graph is busy' : 'The review was not created',
            reason: error.userMessage, confirmationId: draft.id, canRetry: transient,
            ...(error.code === 'BadRequest' ? { changeStep: 'which', changeLabel: 'a setting' } : {}),
          }));
        }
      },
    },
    [REVIEW_CANCEL]: {
      needsGraph: false,
      async handle(_turn, data) {
        const draft = await openDraft(data);
        if (!('settings' in draft)) return draft;
        await drafts.save({ ...draft, status: 'cancelled' });
        return message('Cancelled: nothing was created.');
      },
    },
    [REVIEW_CHANGE]: {
      needsGraph: false,
      async handle(turn, data) {
        const draft = await openDraft(data);
        if (!('settings' in draft)) return draft;
        await startChange(turn, { ...draft, status: 'open' });
        return message('Which setting would you like to change? (see below)');
      },
    },
  };
}
