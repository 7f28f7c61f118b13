import type { TurnContext } from 'botbuilder';
import { renderWizardChoiceCard, unescapeCardText, type WizardChoice } from '../../../cards';
import { normalise } from '../../commands/commandParser';
import { isAppError } from '../../errors';
import { replyActivity } from '../../features/feature';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from '../dialogLib';
import type { StepOptions, StepResult, WizardContext, WizardState } from './wizardState';
import { parseCommand } from '../../commands/commandParser';

/** What the user answered: typed text, or a card button (`choice`) with any form fields. */
export interface StepInput {
  text: string;
  choice: string | undefined;
  fields: Record<string, unknown>;
}

/** Where a step is: its state so far, the wizard context, and its own phase and scratch data. */
export interface StepData<P extends string = string> {
  state: WizardState;
  context: WizardContext;
  phase: P;
  problem?: string;
  extra: Record<string, unknown>;
}

/** What a step's handler decided. */
export type StepReply<P extends string = string> =
  | { kind: 'done'; state: WizardState }
  | { kind: 'retry'; problem: string }
  | { kind: 'phase'; phase: P; state?: WizardState; extra?: Record<string, unknown> };

export const HINT = 'Type cancel, back or help at any time.';
const CANCEL = new Set(['cancel', 'stop', 'quit', 'exit']);

/** Typed text that is one of the bot's commands; `help` keeps its step meaning (it explains the question). */
function isCommand(text: string): boolean {
  const parsed = parseCommand(text);
  return parsed.kind === 'command' && parsed.name !== 'help';
}

/** The Back and Cancel buttons every step card carries. */
export const NAVIGATION: WizardChoice[] = [{ title: 'Back', value: 'back' }, { title: 'Cancel', value: 'cancel' }];

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
      extra: options.start?.extra ?? {},
    };
    Object.assign(dc.activeDialog?.state ?? {}, data);
    await this.prompt(dc.context, data);
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
    if (CANCEL.has(word)) return dc.endDialog({ outcome: 'cancel', state: data.state } satisfies StepResult);
    if (word === 'back') {
      const previous = this.previousPhase(data.phase, data);
      if (previous === undefined) return dc.endDialog({ outcome: 'back', state: data.state } satisfies StepResult);
      data.phase = previous;
      await this.reprompt(dc.context, data, undefined);
      return Dialog.EndOfTurn;
    }
    if (word === 'help' || word === '?') {
      await dc.context.sendActivity(this.help(data));
      await this.reprompt(dc.context, data, undefined);
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
    if (reply.kind === 'done') return dc.endDialog({ outcome: 'next', state: reply.state } satisfies StepResult);
    if (reply.kind === 'retry') {
      // Not an answer to this question, but a command the user typed (`reviews`, `create review`…): that command.
      if (input.choice === undefined && isCommand(input.text)) return dc.endDialog({ outcome: 'interrupt', state: data.state } satisfies StepResult);
      await this.reprompt(dc.context, data, reply.problem);
      return Dialog.EndOfTurn;
    }
    data.phase = reply.phase;
    if (reply.state) data.state = reply.state;
    if (reply.extra) data.extra = { ...data.extra, ...reply.extra };
    await this.reprompt(dc.context, data, undefined);
    return Dialog.EndOfTurn;
  }

  /** Asked again (after a renewed sign-in): the current phase's card. */
  override async repromptDialog(turn: TurnContext, instance: DialogInstance): Promise<void> {
    const data = instance.state as StepData<P> | undefined;
    if (data) await this.reprompt(turn, data, undefined);
  }

  private async reprompt(turn: TurnContext, data: StepData<P>, problem: string | undefined): Promise<void> {
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

  /** Sends a choice card for this step. */
  protected async sendChoices(turn: TurnContext, data: StepData<P>, card: { title: string; text: string; choices: WizardChoice[] }): Promise<void> {
    await turn.sendActivity(replyActivity({
      card: renderWizardChoiceCard({ stepId: this.id, ...card, choices: [...card.choices, ...NAVIGATION], hint: HINT, problem: data.problem }),
    }));
  }
}
