import type { TurnContext } from 'botbuilder';
import { renderWizardAnsweredCard, renderWizardChoiceCard, unescapeCardText, type WizardChoice } from '../../../cards';
import { normalise } from '../../commands/commandParser';
import { isAppError } from '../../errors';
import { replyActivity } from '../../features/feature';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from '../dialogLib';
import { scopeOf } from '../../turn';
import { STEP_COUNT, STEP_NUMBERS, type StepOptions, type StepResult, type WizardContext, type WizardState } from './wizardState';
import { parseCommand } from '../../commands/commandParser';

/** What the user answered: typed text, or a card button (`choice`) with any form fields. */
export interface StepInput {
  text: string;
  choice: string | undefined;
  fields: Record<string, unknown>;
}

/** The card a step sent last, to mark it answered once it is: its activity id, title and buttons (value → title). */
export interface SentCard {
  id: string;
  title: string;
  choices: Record<string, string>;
}

/** Where a step is: its state so far, the wizard context, and its own phase and scratch data. */
export interface StepData<P extends string = string> {
  state: WizardState;
  context: WizardContext;
  phase: P;
  problem?: string;
  extra: Record<string, unknown>;
  canGoBack: boolean;
  numbered: boolean;
  card?: SentCard;
}

/** What a step's handler decided; `answered` is how the accepted answer reads on the answered card (e.g. the group found). */
export type StepReply<P extends string = string> =
  | { kind: 'done'; state: WizardState; answered?: string }
  | { kind: 'retry'; problem: string }
  | { kind: 'phase'; phase: P; state?: WizardState; extra?: Record<string, unknown>; answered?: string };

export const HINT = 'Type cancel, back or help at any time.';
/** In a channel the bot only reads messages that @mention it: typed answers too. */
export const HINT_IN_CHANNEL = 'In this channel, @mention me with each typed answer (e.g. @Access Reviews Sales). Type cancel, back or help at any time.';
const CANCEL = new Set(['cancel', 'stop', 'quit', 'exit']);

/** Typed text that is one of the bot's commands; `help` keeps its step meaning (it explains the question). */
function isCommand(text: string): boolean {
  const parsed = parseCommand(text);
  return parsed.kind === 'command' && parsed.name !== 'help';
}

const BACK: WizardChoice = { title: 'Back', value: 'back' };
const CANCEL_BUTTON: WizardChoice = { title: 'Cancel', value: 'cancel' };
const NOTHING_BEFORE = 'This is the first question: there is nothing to go back to. Type cancel to stop.';

/** How an earlier card of a step reads once it is no longer the question: no buttons, and what became of it. */
const CLOSED = {
  askedAgain: 'Asked again below.',
  back: 'Went back.',
  cancelled: 'Cancelled.',
  interrupted: 'Set aside for another command.',
} as const;

/** "Inactive for how many days?" → "inactive for how many days?" (after the step header). */
const lowerFirst = (text: string): string => `${text.charAt(0).toLowerCase()}${text.slice(1)}`;

/**
 * A wizard step: sends its card, then reads the answer (typed or a button of *this* step's card), with
 * `cancel`, `back` and `help` everywhere, re-asking with the reason when an answer is not valid. Sub-questions
 * of a step are phases; `back` goes to the previous phase before leaving the step.
 */
export abstract class WizardStep<P extends string = string> extends Dialog<StepOptions> {
  protected abstract readonly firstPhase: P;

  /** Sends the card of the current phase (with `data.problem` when re-asking). */
  protected abstract prompt(turn: TurnContext, data: StepData<P>): Promise<void>;
  /** Handles a (non-navigation) answer. */
  protected abstract handle(input: StepInput, data: StepData<P>, turn: TurnContext): Promise<StepReply<P>>;
  /** Explains the current phase. */
  protected abstract help(data: StepData<P>): string;
  /** The phase before `phase` (for `back`); undefined = leave the step. */
  protected previousPhase(_phase: P, _data: StepData<P>): P | undefined {
    return undefined;
  }

  override async beginDialog(dc: DialogContext, options?: StepOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error(`${this.id} needs the wizard state`);
    const data: StepData<P> = {
      state: { ...options.state }, context: options.context, phase: (options.start?.phase as P | undefined) ?? this.firstPhase,
      extra: options.start?.extra ?? {}, canGoBack: options.canGoBack ?? true, numbered: options.numbered ?? true,
    };
    // The dialog's own state object (persisted), so what prompt records (the card sent) is kept.
    const kept = Object.assign(dc.activeDialog?.state ?? {}, data) as StepData<P>;
    await this.prompt(dc.context, kept);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const data = dc.activeDialog?.state as StepData<P> | undefined;
    const activity = dc.context.activity;
    if (!data || activity.type !== 'message') return Dialog.EndOfTurn;
    const input = this.read(activity.text, activity.value);
    if (input === undefined) {
      await this.reprompt(dc.context, data, 'That button belongs to an earlier question; please answer this one.');
      return Dialog.EndOfTurn;
    }
    const word = (input.choice ?? input.text).toLowerCase();
    const turn = dc.context;
    if (CANCEL.has(word)) {
      await this.closeCard(turn, data, CLOSED.cancelled);
      return dc.endDialog({ outcome: 'cancel', state: data.state } satisfies StepResult);
    }
    if (word === 'back') {
      const previous = this.previousPhase(data.phase, data);
      if (previous === undefined && !data.canGoBack) {
        await this.reprompt(turn, data, NOTHING_BEFORE);
        return Dialog.EndOfTurn;
      }
      await this.closeCard(turn, data, CLOSED.back);
      if (previous === undefined) return dc.endDialog({ outcome: 'back', state: data.state } satisfies StepResult);
      data.phase = previous;
      await this.reprompt(turn, data, undefined);
      return Dialog.EndOfTurn;
    }
    if (word === 'help' || word === '?') {
      await turn.sendActivity(this.help(data));
      await this.reprompt(turn, data, undefined);
      return Dialog.EndOfTurn;
    }
    let reply: StepReply<P>;
    try {
      reply = await this.handle(input, data, dc.context);
    } catch (error) {
      // A refused token is the sign-in policy's (signedInDialog.ts): it renews the sign-in and asks this question again.
      if (!isAppError(error) || error.code === 'SignInRequired') throw error;
      reply = { kind: 'retry', problem: error.userMessage };
    }
    if (reply.kind === 'done') {
      await this.closeCard(turn, data, `✓ ${this.answerLabel(input, data, reply.answered)}`);
      return dc.endDialog({ outcome: 'next', state: reply.state } satisfies StepResult);
    }
    if (reply.kind === 'retry') {
      // Not an answer to this question, but a command the user typed (`reviews`, `create review`…): that command.
      if (input.choice === undefined && isCommand(input.text)) {
        await this.closeCard(turn, data, CLOSED.interrupted);
        return dc.endDialog({ outcome: 'interrupt', state: data.state } satisfies StepResult);
      }
      await this.reprompt(turn, data, reply.problem);
      return Dialog.EndOfTurn;
    }
    await this.closeCard(turn, data, `✓ ${this.answerLabel(input, data, reply.answered)}`);
    data.phase = reply.phase;
    if (reply.state) data.state = reply.state;
    if (reply.extra) data.extra = { ...data.extra, ...reply.extra };
    await this.reprompt(turn, data, undefined);
    return Dialog.EndOfTurn;
  }

  /** How an accepted answer reads: what the step says it found, else the pressed button's title, else what was typed. */
  private answerLabel(input: StepInput, data: StepData<P>, answered: string | undefined): string {
    if (answered !== undefined) return answered;
    const choices = data.card?.choices ?? {};
    if (input.choice !== undefined) return choices[input.choice] ?? input.choice;
    // A typed answer that names a button ("members", "Members of a group") reads as that button.
    const typed = input.text.toLowerCase();
    const named = Object.entries(choices).find(([value, title]) => value.toLowerCase() === typed || title.toLowerCase() === typed);
    return named?.[1] ?? (input.text === '' ? 'Answered' : input.text.slice(0, 200));
  }

  /**
   * The step's last card, no longer the question, is replaced by its answered form: the title and what became of it,
   * with no buttons left to press (Teams updates the message in place). Cosmetic: a connector that cannot update
   * leaves the old card, and the wizard goes on.
   */
  private async closeCard(turn: TurnContext, data: StepData<P>, outcome: string): Promise<void> {
    const card = data.card;
    if (card === undefined) return;
    data.card = undefined;
    try {
      await turn.updateActivity({ ...replyActivity({ card: renderWizardAnsweredCard({ title: card.title, answer: outcome }) }), id: card.id });
    } catch {
      // The answered form is a courtesy; the dialog's state already moved on.
    }
  }

  /** Asked again (after a renewed sign-in): the current phase's card. */
  override async repromptDialog(turn: TurnContext, instance: DialogInstance): Promise<void> {
    const data = instance.state as StepData<P> | undefined;
    if (data) await this.reprompt(turn, data, undefined);
  }

  /** Asks the current phase again with a new card; the previous one, if still live, says so. */
  private async reprompt(turn: TurnContext, data: StepData<P>, problem: string | undefined): Promise<void> {
    await this.closeCard(turn, data, CLOSED.askedAgain);
    data.problem = problem;
    await this.prompt(turn, data);
    data.problem = undefined;
  }

  /** Typed text, or a button of this step's card; undefined for a button of another step's card. */
  private read(text: string | undefined, value: unknown): StepInput | undefined {
    const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    if (typeof fields.wizard === 'string' && fields.wizard !== this.id) return undefined;
    // Card values come back with the render's escaping (a word joiner inside `${`): undo it.
    const choice = typeof fields.choice === 'string' && fields.wizard === this.id ? unescapeCardText(fields.choice).slice(0, 256) : undefined;
    return { text: normalise(text ?? '').slice(0, 1000), choice, fields };
  }

  /** The card's title: the question under the step's header ("New access review · 2 of 5: which group?") in the wizard. */
  protected titleFor(data: StepData<P>, question: string): string {
    const number = STEP_NUMBERS[this.id];
    if (!data.numbered || number === undefined || question.startsWith('New access review')) return question;
    return `New access review · ${number} of ${STEP_COUNT}: ${lowerFirst(question)}`;
  }

  /** The footer of a step card: in a channel typed answers need an @mention. */
  protected hintFor(turn: TurnContext): string {
    return scopeOf(turn) === 'channel' ? HINT_IN_CHANNEL : HINT;
  }

  /** Back is offered where it leads somewhere: an earlier phase, or an earlier step. */
  private navigation(data: StepData<P>): WizardChoice[] {
    return data.canGoBack || this.previousPhase(data.phase, data) !== undefined ? [BACK, CANCEL_BUTTON] : [CANCEL_BUTTON];
  }

  /** Sends a card of this step and remembers it (to mark it answered later). */
  protected async sendCard(turn: TurnContext, data: StepData<P>, card: Record<string, unknown>, meta: { title: string; choices: WizardChoice[] }): Promise<void> {
    const sent = await turn.sendActivity(replyActivity({ card }));
    if (sent?.id) data.card = { id: sent.id, title: meta.title, choices: Object.fromEntries(meta.choices.map((c) => [c.value, c.title])) };
  }

  /** Sends a choice card for this step. */
  protected async sendChoices(turn: TurnContext, data: StepData<P>, card: { title: string; text: string; choices: WizardChoice[] }): Promise<void> {
    const title = this.titleFor(data, card.title);
    const choices = [...card.choices, ...this.navigation(data)];
    const hint = this.hintFor(turn);
    await this.sendCard(turn, data, renderWizardChoiceCard({ stepId: this.id, ...card, title, choices, hint, problem: data.problem }), { title, choices });
  }
}
