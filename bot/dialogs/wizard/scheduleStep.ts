import type { TurnContext } from 'botbuilder';
import { addDays, isCalendarDate } from '../../../reviews/defaults';
import { DEFAULT_DURATION_DAYS, type Frequency, type ReviewSchedule } from '../../../reviews/settings';
import { maxDurationDays } from '../../../reviews/validateSettings';
import { quoted } from '../../userText';
import { WizardStep, type StepData, type StepInput, type StepReply } from './wizardStep';

type Phase = 'frequency' | 'start' | 'duration' | 'end' | 'endDate' | 'endCount';

const FREQUENCIES: Array<{ title: string; value: Frequency; words: string[] }> = [
  { title: 'One time', value: 'once', words: ['once', 'one time', 'onetime'] },
  { title: 'Weekly', value: 'weekly', words: ['weekly', 'week'] },
  { title: 'Monthly', value: 'monthly', words: ['monthly', 'month'] },
  { title: 'Quarterly', value: 'quarterly', words: ['quarterly', 'quarter'] },
  { title: 'Semi-annually', value: 'semiannually', words: ['semiannually', 'semi-annually', 'half-yearly'] },
  { title: 'Annually', value: 'annually', words: ['annually', 'yearly', 'year'] },
];
const PREVIOUS: Record<Phase, Phase | undefined> = { frequency: undefined, start: 'frequency', duration: 'start', end: 'duration', endDate: 'end', endCount: 'end' };
const number = (text: string): number => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN);

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
      frequency: { title: 'New access review · 4 of 5: how often?', text: 'Choose how often the review runs.', choices: FREQUENCIES.map(({ title, value }) => ({ title, value })) },
      start: { title: 'Starting when?', text: 'Choose today or type a date (YYYY-MM-DD).', choices: [{ title: `Today (${data.context.today})`, value: data.context.today }] },
      duration: {
        title: 'How long does each run last?',
        text: `In days; at most ${maxDurationDays(schedule.frequency ?? 'once', start)} so that a run ends before the next one starts.`,
        choices: [7, DEFAULT_DURATION_DAYS, 30].filter((d) => d <= maxDurationDays(schedule.frequency ?? 'once', start))
          .map((d) => ({ title: `${d} days${d === DEFAULT_DURATION_DAYS ? ' (default)' : ''}`, value: String(d) })),
      },
      end: { title: 'When does the series end?', text: 'A recurring review can go on, stop on a date, or stop after a number of runs.', choices: [
        { title: 'Never', value: 'never' }, { title: 'On a date', value: 'date' }, { title: 'After a number of runs', value: 'count' }] },
      endDate: { title: 'Last date', text: `Type the last date a run may start (YYYY-MM-DD), after ${start}.`, choices: [] },
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
        const found = FREQUENCIES.find((f) => f.value === answer.toLowerCase() || f.words.includes(answer.toLowerCase()));
        if (!found) return { kind: 'retry', problem: 'Choose one time, weekly, monthly, quarterly, semi-annually or annually.' };
        return { kind: 'phase', phase: 'start', state: withSchedule({ frequency: found.value }) };
      }
      case 'start': {
        const date = answer.toLowerCase() === 'today' ? data.context.today : answer;
        if (!isCalendarDate(date)) return { kind: 'retry', problem: `${quoted(date, 30)} is not a date written YYYY-MM-DD.` };
        if (date < data.context.today) return { kind: 'retry', problem: `${date} is in the past; the earliest start is today, ${data.context.today}.` };
        return { kind: 'phase', phase: 'duration', state: withSchedule({ startDate: date }) };
      }
      case 'duration': {
        const days = number(answer.replace(/\s*days?$/i, ''));
        const max = maxDurationDays(schedule.frequency ?? 'once', schedule.startDate ?? data.context.today);
        if (!Number.isInteger(days) || days < 1 || days > max) return { kind: 'retry', problem: `Each run must last from 1 to ${max} days.` };
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
        if (!isCalendarDate(answer) || answer <= start) return { kind: 'retry', problem: `Type a date after ${start}, e.g. ${addDays(start, 365)}.` };
        return { kind: 'done', state: withSchedule({ end: { kind: 'date', date: answer } }) };
      }
      case 'endCount': {
        const count = number(answer);
        if (!Number.isInteger(count) || count < 1 || count > 999) return { kind: 'retry', problem: 'Type a number of runs from 1 to 999.' };
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
