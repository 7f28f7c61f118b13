import {
  TeamsActivityHandler, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type BotState, type FileConsentCardResponse,
  type InvokeResponse, type StatePropertyAccessor, type TurnContext,
} from 'botbuilder';
import { runDialog, type DialogState } from './dialogs/dialogLib';
import { renderWelcomeCard } from '../cards';
import { welcomeCommands } from './commands';
import type { SsoService } from './auth/ssoService';
import type { CardActions } from './cardActions';
import type { ConversationStore } from './conversations';
import type { ExportService } from './exports/exportService';
import type { RootDialog } from './dialogs/rootDialog';
import { SIGN_IN_OUTCOME } from './dialogs/turnKeys';
import { replyActivity } from './features/feature';
import { scopeOf, userIdOf } from './turn';
import { clippedForLog, type Logger } from './logger';

/**
 * Routes Teams activities: messages into the root dialog (one entry: runDialog), sign-in invokes to the SSO
 * service then the dialog, card buttons to the verb registry, installs to a welcome card. State is saved
 * once, after the turn.
 */
export class TeamsBot extends TeamsActivityHandler {
  constructor(
    /** Dialog state, per conversation and user (PrivateConversationState). */
    private readonly dialogStates: BotState,
    private readonly dialogState: StatePropertyAccessor<DialogState>,
    private readonly root: RootDialog,
    private readonly sso: SsoService,
    private readonly cardActions: CardActions,
    private readonly conversations: ConversationStore,
    private readonly log: Logger,
    /** `export`'s file consent answers (Teams' `fileConsent/invoke`); absent: such invokes are refused as not implemented. */
    private readonly files?: Pick<ExportService, 'accept' | 'decline'>,
  ) {
    super();
    this.onMessage(async (turn, next) => {
      await this.conversations.remember(turn, scopeOf(turn));
      await runDialog(this.root, turn, this.dialogState);
      await next();
    });
    this.onMembersAdded(async (turn, next) => {
      const botAdded = (turn.activity.membersAdded ?? []).some((member) => member.id === turn.activity.recipient.id);
      if (botAdded) {
        await this.conversations.remember(turn, scopeOf(turn), { force: true });
        await turn.sendActivity(replyActivity({ card: renderWelcomeCard({ scope: scopeOf(turn), commands: welcomeCommands(scopeOf(turn)) }) }));
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (turn, next) => {
      // Forced: a new install lifts a suspension (bot/proactive) even if this process wrote the same reference.
      await this.conversations.remember(turn, scopeOf(turn), { force: true });
      await next();
    });
    // Uninstalled (Teams sends conversationUpdate with the bot in membersRemoved, then installationUpdate 'remove'),
    // team or channel deleted: the conversation references go, so no digest is posted there any more.
    this.onMembersRemoved(async (turn, next) => {
      if ((turn.activity.membersRemoved ?? []).some((member) => member.id === turn.activity.recipient.id)) await this.forgetHere(turn);
      await next();
    });
    this.onInstallationUpdateRemove(async (turn, next) => {
      await this.forgetHere(turn);
      await next();
    });
    this.onTeamsTeamDeletedEvent(async (team, _turn, next) => {
      if (team.id) this.log.info({ teamId: team.id, forgotten: await this.conversations.forgetTeam(team.id) }, 'team deleted: its conversations forgotten');
      await next();
    });
    this.onTeamsChannelDeletedEvent(async (channel, _team, _turn, next) => {
      if (channel.id) await this.conversations.forget(channel.id);
      await next();
    });
  }

  private async forgetHere(turn: TurnContext): Promise<void> {
    const forgotten = await this.conversations.forgetWhere(turn);
    this.log.info({ conversationId: turn.activity.conversation?.id, forgotten }, 'app removed: conversation references forgotten');
  }

  protected override async onInvokeActivity(turn: TurnContext): Promise<InvokeResponse> {
    switch (turn.activity.name) {
      case 'signin/tokenExchange': {
        const { outcome, response } = await this.sso.tokenExchange(turn.activity.value, turn.activity.conversation.id, userIdOf(turn), turn);
        if (outcome?.kind === 'signedIn') {
          turn.turnState.set(SIGN_IN_OUTCOME, outcome);
          await runDialog(this.root, turn, this.dialogState);
        }
        return response;
      }
      case 'signin/verifyState': {
        // The token service's magic code (SSO_MODE=connection) is redeemed first; with the bot's own consent page there is none.
        const outcome = await this.sso.verifyState(turn, turn.activity.value);
        if (outcome !== undefined) turn.turnState.set(SIGN_IN_OUTCOME, outcome);
        await runDialog(this.root, turn, this.dialogState);
        return { status: outcome?.kind === 'failed' ? 404 : 200 };
      }
      case 'signin/failure': {
        const value = (turn.activity.value ?? {}) as { code?: unknown; message?: unknown };
        const text = (field: unknown): string => (typeof field === 'string' ? clippedForLog(field, 200) : '');
        this.log.warn({ code: text(value.code), message: text(value.message), activityId: turn.activity.id }, 'Teams reported an SSO failure');
        return { status: 200 };
      }
      default:
        return super.onInvokeActivity(turn);
    }
  }

  /** Allow on an export's file consent card (routed by TeamsActivityHandler from `fileConsent/invoke`). */
  protected override async handleTeamsFileConsentAccept(turn: TurnContext, response: FileConsentCardResponse): Promise<void> {
    if (this.files === undefined) return super.handleTeamsFileConsentAccept(turn, response);
    await this.files.accept(turn, response);
  }

  /** Decline on an export's file consent card. */
  protected override async handleTeamsFileConsentDecline(turn: TurnContext, response: FileConsentCardResponse): Promise<void> {
    if (this.files === undefined) return super.handleTeamsFileConsentDecline(turn, response);
    await this.files.decline(turn, response);
  }

  protected override onAdaptiveCardInvoke(turn: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return this.cardActions.handle(turn, value);
  }

  override async run(turn: TurnContext): Promise<void> {
    const { id, type, name, conversation } = turn.activity;
    this.log.debug({ activityId: id, type, name, conversationId: conversation?.id, scope: scopeOf(turn) }, 'turn');
    await super.run(turn);
    await this.dialogStates.saveChanges(turn, false);
  }
}
