import type { Activity } from 'botbuilder';
import { renderChannelSignInCard } from '../../cards';
import { commandNamed, isAvailable } from '../commands';
import type { FeatureRegistry } from '../features';
import { replyActivity } from '../features/feature';
import type { FeatureRunner } from '../features/runner';
import type { DialogContext, DialogTurnResult } from './dialogLib';
import { FEATURE_DIALOG } from './dialogIds';
import { personalChatPointer, SignedInDialog, type SignInPolicy } from './signedInDialog';

/** A one-answer command: its catalogue name and the rest of the line. */
export interface FeatureOptions {
  name: string;
  args: string;
}

/**
 * Runs a one-answer command (`reviews`, `help`, `sign out`…) as the sending user under the sign-in policy: signs
 * in first when the command needs Graph (a command not available yet says so at once), runs its feature, replies.
 */
export class FeatureDialog extends SignedInDialog<FeatureOptions> {
  constructor(private readonly features: FeatureRegistry, private readonly runner: FeatureRunner, policy: SignInPolicy) {
    super(FEATURE_DIALOG, policy);
  }

  protected override needsSignIn({ name }: FeatureOptions): boolean {
    const command = commandNamed(name);
    return command.signIn === 'user' && isAvailable(command);
  }

  protected override async start(inner: DialogContext, { name, args }: FeatureOptions): Promise<DialogTurnResult> {
    const feature = this.features.get(name);
    if (feature) await inner.context.sendActivity(replyActivity(await this.runner.run(feature, inner.context, args)));
    return inner.endDialog();
  }

  /** In a channel, a command with a card verb offers "Continue as me" (Universal Actions signs in from a button). */
  protected override channelSignIn({ name, args }: FeatureOptions, renewing: boolean): Partial<Activity> | string {
    const command = commandNamed(name);
    const verb = command.verbs?.[0];
    if (verb === undefined) return personalChatPointer(command.phrases[0] ?? command.name, renewing);
    return replyActivity({ card: renderChannelSignInCard({ title: 'Continue as me', verb, data: { args: args.slice(0, 200) } }) });
  }
}
