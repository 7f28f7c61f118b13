import type { HelpGroupData } from '../../cards';
import type { Scope } from '../turn';
import type { CardVerb } from '../../cards/verbs';
import type { TurnContext } from 'botbuilder';
import type { Clock } from '../clock';
import type { Feature } from '../features/feature';
import type { AdminActionStore } from '../features/reviewAdmin';
import type { EditDeps } from '../features/edit';
import type { ExportService } from '../exports/exportService';
import type { DigestCommandDeps } from '../features/digestSubscriptions';
import type { ReviewingDeps } from '../features/decide';

export type { Scope };

/** The help card's groups, in display order. */
export const HELP_GROUPS = ['Create', 'Read', 'Decide', 'Manage', 'Channel digests', 'Account'] as const;
export type HelpGroup = (typeof HELP_GROUPS)[number];

/** What a command's feature may be built with (from the composition root). */
/** Forgets the sender's sign-in: msal's cache, or also the token service's (SSO_MODE=connection). */
export type SignOut = (turn: TurnContext, userId: string) => Promise<void>;

export interface CommandDeps {
  signOut: SignOut;
  /** The bot's one clock (local mode: the tenant's). */
  clock: Clock;
  /** The help card's rows for a scope, computed from the catalogue. */
  helpGroups(scope: Scope): HelpGroupData[];
  /** `text` when the command named `name` works in `scope` in this version, else undefined (never promise a missing one). */
  suggesting(name: string, scope: Scope, text: string): string | undefined;
  /** Pending stop / apply / reset / delete confirmations (confirm-then-act); absent where nothing is wired (catalogue tests). */
  adminActions?: AdminActionStore;
  /** Pending `edit` confirmations and the clock; absent where nothing is wired (catalogue tests). */
  edit?: EditDeps;
  /** `export`'s collection and file delivery; absent where nothing is wired (catalogue tests). */
  exports?: ExportService;
  /** The channel digests' subscriptions; absent where nothing is wired (catalogue tests). */
  digests?: DigestCommandDeps;
  /** Reviewers' pending choices (`my reviews`, `decide`); absent where nothing is wired (catalogue tests). */
  reviewing?: ReviewingDeps;
}

/** What a command does: one answer (a feature) or a conversation (a dialog the root dialog begins). */
export type CommandRun =
  | { kind: 'feature'; feature: (deps: CommandDeps) => Feature }
  | { kind: 'dialog'; dialogId: string };

/**
 * Everything about one command, in one place: the parser, did-you-mean, the help card of each scope, the
 * "not in this scope" and "not available yet" answers, the card-verb registry and the manifest's command menu
 * are all computed from these definitions (bot/commands/index.ts lists them).
 */
export interface CommandDefinition {
  /** Stable id, e.g. 'reviews', 'signOut'. */
  readonly name: string;
  /** Lower-case phrases that start it; the parser tries the longest first. */
  readonly phrases: readonly string[];
  /** As the help card shows it, e.g. 'reviews [active|completed|all]'. */
  readonly usage: string;
  /** Its help line; `inScope` words it for one scope (an example that works there, e.g. `this team` in channels). */
  readonly help: { readonly group: HelpGroup; readonly text: string; readonly inScope?: Partial<Readonly<Record<Scope, string>>> };
  readonly scopes: readonly Scope[];
  /** 'user': it calls Microsoft Graph with the user's own token, so it signs in first. Never the app's identity. */
  readonly signIn: 'none' | 'user';
  /** Its entry in the Teams command menu (manifest), when it is one of the main commands. */
  readonly menu?: string;
  /** Absent: a command of the product this version does not do yet (said plainly, never pretended). */
  readonly run?: CommandRun;
  /** Action.Execute verbs that replay this command from a card (e.g. a "Show reviews" button). */
  readonly verbs?: readonly CardVerb[];
}
