import type { TurnContext } from 'botbuilder';
import { addDays } from '../../../reviews/defaults';
import { DEFAULT_DURATION_DAYS, type ReviewSchedule } from '../../../reviews/settings';
import { maxDurationDays } from '../../../reviews/validateSettings';
import {
  DATE_FORMAT, dateProblem, FREQUENCIES, orList, parseDay, parseDays, parseFrequency, parsePositiveInteger, writtenAsDate,
} from '../../../reviews/vocabulary';
import { quoted } from '../../userText';
import { WizardStep, type StepData, type StepInput, type StepReply } from './wizardStep';

type Phase = 'frequency' | 'start' | 'duration' | 'end' | 'endDate' | 'endCount';

const PREVIOUS: Record<Phase, Phase | undefined> = { frequency: undefined, start: 'frequency', duration: 'start', end: 'duration', endDate: 'end', endCount: 'end' };
/** The wizard's own cap on a series' length. */
const RUNS = { min: 1, max: 999 } as const;
const FREQUENCY_CHOICES = FREQUENCIES.map(({ label, value }) => ({ title: label, value }));
const CHOOSE_FREQUENCY = `Choose ${orList(FREQUENCIES.map(({ label }) => label.toLowerCase()))}.`;

/** Step 4: how often, from when, how long each run lasts, and (recurring) when the series ends. */
export class ScheduleStep extends WizardStep<Phase> {
  protected readonly firstPhase = 'frequency' as const;

  constructor() {
    super('wizard.schedule');
  }

  private schedule(data: StepData<Phase>): Partial<ReviewSchedule> {
    return data.state.schedule ?? {};
  }

  protected prompt(turn: TurnContext, data: StepData<Phase>): Promise<void> {
    const schedule = this.schedule(data);
    const start = schedule.startDate ?? data.context.today;
    const cards: Record<Phase, { title: string; text: string; choices: Array<{ title: string; value: string }> }> = {
      frequency: { title: 'New access review · 4 of 5: how often?', text: 'Choose how often the review runs.', choices: FREQUENCY_CHOICES },
      start: { title: 'Starting when?', text: `Choose today or type a date (${DATE_FORMAT}).`, choices: [{ title: `Today (${data.context.today})`, value: data.context.today }] },
      duration: {
        title: 'How long does each run last?',
        text: `In days; at most ${maxDurationDays(schedule.frequency ?? 'once', start)} so that a run ends before the next one starts.`,
        choices: [7, DEFAULT_DURATION_DAYS, 30].filter((d) => d <= maxDurationDays(schedule.frequency ?? 'once', start))
          .map((d) => ({ title: `${d} days${d === DEFAULT_DURATION_DAYS ? ' (default)' : ''}`, value: String(d) })),
      },
      end: { title: 'When does the series end?', text: 'A recurring review can go on, stop on a date, or stop after a number of runs.', choices: [
        { title: 'Never', value: 'never' }, { title: 'On a date', value: 'date' }, { title: 'After a number of runs', value: 'count' }] },
      endDate: { title: 'Last date', text: `Type the last date a run may start (${DATE_FORMAT}), after ${start}.`, choices: [] },
      endCount: { title: 'How many runs?', text: 'Type the number of runs.', choices: [2, 4, 12].map((n) => ({ title: String(n), value: String(n) })) },
    };
    return this.sendChoices(turn, data, cards[data.phase]);
  }

  protected handle(input: StepInput, data: StepData<Phase>): Promise<StepReply<Phase>> {
    return Promise.resolve(this.decide((input.choice ?? input.text).trim(), data));
  }

  private decide(answer: string, data: StepData<Phase>): StepReply<Phase> {
    const schedule = this.schedule(data);
    const withSchedule = (change: Partial<ReviewSchedule>): StepData<Phase>['state'] => ({ ...data.state, schedule: { ...schedule, ...change } });
    switch (data.phase) {
      case 'frequency': {
        const frequency = parseFrequency(answer);
        if (!frequency) return { kind: 'retry', problem: CHOOSE_FREQUENCY };
        return { kind: 'phase', phase: 'start', state: withSchedule({ frequency }) };
      }
      case 'start': {
        const date = parseDay(answer, data.context.today);
        if (!date) return { kind: 'retry', problem: `${quoted(answer, 30)} ${dateProblem(answer) ?? `is not a date written ${DATE_FORMAT}`}.` };
        if (date < data.context.today) return { kind: 'retry', problem: `${date} is in the past; the earliest start is today, ${data.context.today}.` };
        return { kind: 'phase', phase: 'duration', state: withSchedule({ startDate: date }) };
      }
      case 'duration': {
        const max = maxDurationDays(schedule.frequency ?? 'once', schedule.startDate ?? data.context.today);
        const days = parseDays(answer, { max });
        if (days === undefined) return { kind: 'retry', problem: `Each run must last from 1 to ${max} days.` };
        const state = withSchedule({ durationDays: days });
        if (schedule.frequency === 'once') return { kind: 'done', state: { ...state, schedule: { ...state.schedule, end: { kind: 'never' } } } };
        return { kind: 'phase', phase: 'end', state };
      }
      case 'end': {
        const choice = answer.toLowerCase();
        if (choice === 'never') return { kind: 'done', state: withSchedule({ end: { kind: 'never' } }) };
        if (choice === 'date' || choice === 'count') return { kind: 'phase', phase: choice === 'date' ? 'endDate' : 'endCount' };
        return { kind: 'retry', problem: 'Choose never, on a date, or after a number of runs.' };
      }
      case 'endDate': {
        const start = schedule.startDate ?? data.context.today;
        const date = parseDay(answer, data.context.today);
        const typeOther = `Type a date after ${start}, e.g. ${addDays(start, 365)}.`;
        // A date the calendar does not have is named as such; anything else gets what to type.
        if (!date && writtenAsDate(answer)) return { kind: 'retry', problem: `${quoted(answer, 30)} ${dateProblem(answer) ?? ''}. ${typeOther}` };
        if (!date || date <= start) return { kind: 'retry', problem: typeOther };
        return { kind: 'done', state: withSchedule({ end: { kind: 'date', date } }) };
      }
      case 'endCount': {
        const count = parsePositiveInteger(answer, RUNS);
        if (count === undefined) return { kind: 'retry', problem: `Type a number of runs from ${RUNS.min} to ${RUNS.max}.` };
        return { kind: 'done', state: withSchedule({ end: { kind: 'count', count } }) };
      }
    }
  }

  protected override previousPhase(phase: Phase): Phase | undefined {
    return PREVIOUS[phase];
  }

  protected help(data: StepData<Phase>): string {
    const texts: Record<Phase, string> = {
      frequency: 'One time reviews run once; recurring ones start a new run each period (quarterly = every 3 months).',
      start: 'The first run starts on this date (today at the earliest).',
      duration: 'Reviewers have this many days to answer. A run must end before the next one starts.',
      end: 'A recurring series can run forever, until a date, or for a number of runs.',
      endDate: 'No run starts after this date.',
      endCount: 'The series stops after this many runs.',
    };
    return texts[data.phase];
  }
}
