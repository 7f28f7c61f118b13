import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { actorOf } from '../turn';
import { plainText } from '../userText';
import type { PendingAction, PendingActions } from '../pending/pendingActions';
import { invokeReply, type VerbHandler } from '.';

/** One button of a confirm-then-act card (Create, Change a setting, Cancel, later Stop, Apply, Delete, Submit…). */
export interface ConfirmThenActSpec<P, R> {
  actions: PendingActions<P, R>;
  needsGraph: boolean;
  /** What the action is called in answers to others, e.g. "draft" → "This is Adele Vance's draft". */
  noun: string;
  /** The answer when the card names nothing live (unknown or expired). */
  unknownText: string;
  /** The card of the action's current revision: what a press on an outdated card gets back instead. */
  current(action: PendingAction<P, R>): AdaptiveCardInvokeResponse;
  /**
   * The answer to a press on a done or cancelled action (its result, or that it was cancelled). `press` says where it
   * was pressed and which revision the pressed card showed (undefined when the card named none), since a card older
   * than the revision that was acted on showed something else than what was done.
   */
  final(action: PendingAction<P, R>, press: Press): AdaptiveCardInvokeResponse;
  /**
   * The card closed with how it ended (done, cancelled, or refused for good): what it showed, that line, no buttons.
   * Needed by claimAndAct and cancelPending (creation answers with its own cards).
   */
  closed?(action: PendingAction<P, R>, outcome: string): AdaptiveCardInvokeResponse;
  /** Acts for the owner, on the revision the card showed. */
  act(turn: TurnContext, action: PendingAction<P, R>, data: unknown): Promise<AdaptiveCardInvokeResponse>;
}

/** The rules of a card whose Confirm and Cancel use claimAndAct and cancelPending: they close the card as it ends. */
export type ClosingRules<P, R> = Omit<ConfirmThenActSpec<P, R>, 'needsGraph' | 'act' | 'closed'> & Required<Pick<ConfirmThenActSpec<P, R>, 'closed'>>;

/**
 * The rules of a confirmation card that closes as it ends (stop/apply/reset/delete, edit), from its card: `card(action,
 * notice?, outcome?)` renders it (with a notice above, or closed with its outcome). `example` is the command to ask
 * again with, for an expired or unknown card.
 */
export function closingRules<P, R extends { text: string; acted?: boolean }>(actions: PendingActions<P, R>, spec: {
  example: string; card: (action: PendingAction<P, R>, notice?: string, outcome?: string) => Record<string, unknown>;
}): ClosingRules<P, R> {
  // A card shows text as typed: the outcome's markdown is made plain.
  const closed = (action: PendingAction<P, R>, outcome: string): AdaptiveCardInvokeResponse => invokeReply({ card: spec.card(action, undefined, plainText(outcome)) });
  return {
    actions,
    noun: 'confirmation',
    unknownText: `This confirmation has expired or is unknown: nothing was changed. Ask again (for example \`${spec.example}\`).`,
    current: (action) => invokeReply({ card: spec.card(action, 'This card was out of date: here it is as it is now. Nothing was done.') }),
    final: (action) => closed(action, action.state === 'done' && action.result
      ? `${action.result.acted === false ? '' : 'Already done: '}${action.result.text}` : 'This was cancelled: nothing was changed.'),
    closed,
  };
}

/** A press of a card: the turn, and the revision the card carried. */
export interface Press {
  turn: TurnContext;
  revision: number | undefined;
}

const message = (text: string): AdaptiveCardInvokeResponse => invokeReply({ text });

/** The card's revision as PendingActions reads it (a positive integer, as a number or a numeric string), else undefined. */
function revisionOf(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(number) && number > 0 ? number : undefined;
}

/** The id and revision a card sends back (untrusted: PendingActions checks both). */
function cardRefOf(data: unknown): { id: unknown; revision: unknown } {
  const fields = typeof data === 'object' && data !== null ? (data as { confirmationId?: unknown; revision?: unknown }) : {};
  return { id: fields.confirmationId, revision: fields.revision };
}

/**
 * A verb handler with the pending-action rules applied before anything else (before sign-in too): only the
 * owner, in the conversation where it was asked, on the card's current revision, of an action still pending.
 * Others get a plain answer naming the owner; an outdated card is refreshed; a final one shows how it ended.
 */
export function confirmThenAct<P, R>(spec: ConfirmThenActSpec<P, R>): VerbHandler {
  return {
    needsGraph: spec.needsGraph,
    async admit(turn, data) {
      const opened = await spec.actions.open(cardRefOf(data), actorOf(turn));
      switch (opened.kind) {
        case 'open':
          return { admitted: opened.action };
        case 'unknown':
          return { refuse: message(spec.unknownText) };
        case 'notYours':
          return { refuse: message(`This is ${opened.owner}'s ${spec.noun}: only ${opened.owner} can change, cancel or confirm it, ` +
            'in the conversation where it was asked for. Nothing was changed.') };
        case 'outdated':
          return { refuse: spec.current(opened.action) };
        case 'final':
          return { refuse: spec.final(opened.action, { turn, revision: revisionOf(cardRefOf(data).revision) }) };
        case 'busy':
          return { refuse: message(`This ${spec.noun} is being acted on right now; its result follows in a moment.`) };
      }
    },
    handle: (turn, data, admitted) => spec.act(turn, admitted as PendingAction<P, R>, data),
  };
}

/** What acting on a pending action ended with: `final` → recorded as done (a later press gets it), else released. */
export interface ActOutcome {
  text: string;
  final: boolean;
  acted: boolean;
}

/**
 * The Confirm press of a text-answered action (stop, apply, edit…): claim it once (a second, concurrent press is
 * told it is under way), act, then record a final outcome and close the card with it, or release the claim so the
 * button may be pressed again (the card stays, the outcome is said); a thrown error releases it too. `done` runs after
 * a final outcome (e.g. to log it).
 */
export async function claimAndAct<P, R extends { text: string; acted?: boolean }>(
  spec: ClosingRules<P, R>, action: PendingAction<P, R>, work: () => Promise<ActOutcome>, done: (outcome: ActOutcome) => void,
): Promise<AdaptiveCardInvokeResponse> {
  const store = spec.actions;
  if (!(await store.claim(action))) return message('This is being done right now; its result follows in a moment.');
  let outcome: ActOutcome;
  try {
    outcome = await work();
  } catch (error) {
    await store.release(action);
    throw error;
  }
  if (!outcome.final) {
    await store.release(action);
    return message(outcome.text);
  }
  await store.finish(action, { text: outcome.text, acted: outcome.acted } as R);
  done(outcome);
  return spec.closed(action, outcome.text);
}

/** The Cancel press of such an action: final once cancelled (the card closed); a done action answers with its result. */
export async function cancelPending<P, R>(
  spec: ClosingRules<P, R>, turn: TurnContext, action: PendingAction<P, R>,
): Promise<AdaptiveCardInvokeResponse> {
  const outcome = await spec.actions.cancel(action);
  if (outcome.kind === 'busy') return message('This is being done right now, so it can no longer be cancelled.');
  if (outcome.kind === 'final' && outcome.action.state === 'done') return spec.final(outcome.action, { turn, revision: action.revision });
  return spec.closed(action, 'Cancelled: nothing was changed.');
}
