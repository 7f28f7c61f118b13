import type { TurnContext } from 'botbuilder';
import { formatDay } from '../../reviews/describeSettings';
import type { Clock } from '../clock';
import { describeCadence, nextDue, parseCadence } from '../digests/schedule';
import { describeTarget, type DigestTarget, type Subscription, type SubscriptionStore } from '../digests/subscriptions';
import { isAppError } from '../errors';
import type { DirectoryRoles } from '../graph/apis';
import type { Logger } from '../logger';
import { cleanText, quoted } from '../userText';
import type { Feature, FeatureContext, FeatureReply } from './feature';
import { findReview } from './findReview';

/** What the digest commands are built with (absent where nothing is wired: catalogue tests). */
export interface DigestCommandDeps {
  subscriptions: SubscriptionStore;
  clock: Clock;
  /** Records who removed someone else's subscription (ids only). */
  log: Pick<Logger, 'info'>;
}

const CADENCE_WORDS = ['daily', 'weekly'];
const NOT_WIRED: FeatureReply = { text: 'Channel digests are not available right now.' };

/** The subscriber's time zone: Teams' `localTimezone` on the activity, else its clientInfo entity's. */
export function timeZoneOf(turn: TurnContext): string | undefined {
  const activity = turn.activity as { localTimezone?: unknown; entities?: Array<{ type?: unknown; timezone?: unknown }> };
  if (typeof activity.localTimezone === 'string' && activity.localTimezone !== '') return activity.localTimezone;
  const info = (activity.entities ?? []).find((entity) => entity.type === 'clientInfo');
  return typeof info?.timezone === 'string' && info.timezone !== '' ? info.timezone : undefined;
}

const channelOf = (context: FeatureContext): string => context.turn.activity.conversation?.id ?? '';
const teamIdOf = (context: FeatureContext): string | undefined =>
  (context.turn.activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id as string | undefined;
const line = (subscription: Subscription): string =>
  `${describeTarget(subscription.target)} ${describeCadence(subscription.cadence)}, set up by ${subscription.createdBy.name} on ${formatDay(subscription.createdAt.slice(0, 10))}`;

/**
 * `subscribe <review|all> daily|weekly [on <weekday>] [at HH:MM]` in a team channel: a scheduled digest of the team
 * group's active reviews, or of one of them, posted with the bot's own identity. Created only when the subscriber's
 * own token can read what it covers now; the time is the subscriber's time zone, said in the answer.
 */
export const subscribeFeature = (deps: DigestCommandDeps | undefined): Feature => ({
  async run(context) {
    if (deps === undefined) return NOT_WIRED;
    if (context.teamGroupId === undefined) return { text: 'I could not tell which group this team is, so I cannot send it digests. Try again in a moment.' };
    // `all` is the first word, whatever follows it (the schedule words are judged next, with their own answer).
    const all = /^all(?:\s+(.*))?$/isu.exec(context.args.trim());
    let target: DigestTarget;
    let cadenceWords = all?.[1] ?? '';
    if (all !== null) {
      // The subscriber's own token must read the team's reviews now (a 403 names the roles that do).
      await context.graph.reviews.listDefinitions('active', 1, context.teamGroupId);
      target = { kind: 'all' };
    } else {
      const found = await findReview(context, { phrase: 'subscribe', trailingKeywords: CADENCE_WORDS });
      if (found.kind === 'answer') return found.reply;
      target = { kind: 'review', definitionId: found.review.id, name: found.review.displayName ?? found.review.id };
      cadenceWords = found.rest;
    }
    const cadence = parseCadence(cadenceWords, timeZoneOf(context.turn));
    if (!cadence.ok) return { text: `${cadence.error} For example \`subscribe all weekly on monday at 09:00\`.` };
    try {
      const subscription = await deps.subscriptions.create({
        conversationId: channelOf(context), teamId: teamIdOf(context), groupId: context.teamGroupId, target, cadence: cadence.cadence,
        createdBy: { id: context.userId, name: context.turn.activity.from?.name ?? 'someone' },
      });
      const first = nextDue(subscription.cadence, new Date(deps.clock.now())).toISOString().slice(0, 10);
      return {
        text: `Subscribed: this channel gets a digest of ${describeTarget(target)} ${describeCadence(subscription.cadence)}, the first on ${formatDay(first)}. ` +
          'Digests are read with the bot\'s own identity and show counts only, never who decided what. ' +
          `\`unsubscribe ${target.kind === 'all' ? 'all' : `"${cleanText(target.name, 80)}"`}\` stops it.`,
      };
    } catch (error) {
      if (isAppError(error, 'InvalidInput')) return { text: error.userMessage };
      throw error;
    }
  },
});

/** `subscriptions`: this channel's digests, who set each up and when. */
export const subscriptionsFeature = (deps: DigestCommandDeps | undefined): Feature => ({
  async run(context) {
    if (deps === undefined) return NOT_WIRED;
    const here = await deps.subscriptions.listByConversation(channelOf(context));
    if (here.length === 0) return { text: 'This channel gets no scheduled digest. `subscribe all weekly` sets one up.' };
    return { text: `This channel's digests:\n\n${here.map((subscription, n) => `${n + 1}. ${line(subscription)}`).join('\n')}` };
  },
});

/**
 * The directory roles that manage reviews (product spec, "Governance admin"), by role template id (the same in every
 * tenant), in the order an answer names them: holding one lets a user remove anyone's digest subscription.
 */
export const DIGEST_ADMIN_ROLES: ReadonlyArray<{ templateId: string; name: string }> = [
  { templateId: '62e90394-69f5-4237-9190-012177145e10', name: 'Global Administrator' },
  { templateId: '45d8d3c5-c802-45c6-b32a-1d70b5e1e86e', name: 'Identity Governance Administrator' },
  { templateId: 'fe930be7-5e62-47db-91af-98c3a49a38b1', name: 'User Administrator' },
];
const ADMIN_ROLE_NAMES = `${DIGEST_ADMIN_ROLES.slice(0, -1).map((role) => role.name).join(', ')} or ${DIGEST_ADMIN_ROLES.at(-1)?.name ?? ''}`;

/** The first administrator role the user holds; `unconfirmed` when none is named but Graph did not name every role. */
function adminRoleIn(roles: DirectoryRoles): { name: string; templateId: string } | 'unconfirmed' | undefined {
  const held = new Set(roles.roleTemplateIds.map((id) => id.toLowerCase()));
  const role = DIGEST_ADMIN_ROLES.find((candidate) => held.has(candidate.templateId));
  if (role !== undefined) return role;
  return roles.unnamed > 0 || !roles.complete ? 'unconfirmed' : undefined;
}

/** The presser's administrator role, read with their own token (a refusal to read it leaves it unconfirmed). */
async function presserAdminRole(context: FeatureContext): Promise<ReturnType<typeof adminRoleIn>> {
  try {
    return adminRoleIn(await context.graph.directory.myDirectoryRoles());
  } catch (error) {
    if (isAppError(error, 'Forbidden')) return 'unconfirmed';
    throw error;
  }
}

/**
 * `unsubscribe <review|all>`: stops this channel's digest of that target. The person who set it up removes it
 * without any Graph call; anyone else only when their own token shows a directory role that manages reviews
 * (issue 12: "a subscriber can remove theirs, an admin role can remove any").
 */
export const unsubscribeFeature = (deps: DigestCommandDeps | undefined): Feature => ({
  async run(context) {
    if (deps === undefined) return NOT_WIRED;
    const wanted = context.args.trim().replace(/^["“”']|["“”']$/g, '').trim().toLowerCase();
    if (wanted === '') return { text: 'Which digest? Type `unsubscribe all` or `unsubscribe` and the review\'s name. `subscriptions` lists them.' };
    const here = await deps.subscriptions.listByConversation(channelOf(context));
    const match = here.find((subscription) => (wanted === 'all' ? subscription.target.kind === 'all'
      : subscription.target.kind === 'review' && (subscription.target.definitionId.toLowerCase() === wanted || subscription.target.name.toLowerCase().startsWith(wanted))));
    if (match === undefined) return { text: `This channel has no digest of ${wanted === 'all' ? 'all reviews' : quoted(wanted)}. \`subscriptions\` lists them.` };
    const what = describeTarget(match.target);
    if (match.createdBy.id === context.userId) {
      await deps.subscriptions.remove(match.id);
      return { text: `Unsubscribed: this channel no longer gets the digest of ${what}.` };
    }
    const role = await presserAdminRole(context);
    const onlyThey = `Only ${match.createdBy.name}, who set up this channel's digest of ${what}, or an administrator (${ADMIN_ROLE_NAMES}) can remove it.`;
    if (role === undefined) return { text: `${onlyThey} Nothing was changed.` };
    if (role === 'unconfirmed') {
      return { text: `${onlyThey} I could not confirm your administrator role: Microsoft Graph did not name every directory role you hold. Nothing was changed.` };
    }
    const removed = await deps.subscriptions.remove(match.id);
    deps.log.info({
      subscriptionId: match.id, conversationId: match.conversationId, target: match.target.kind,
      ...(match.target.kind === 'review' ? { definitionId: match.target.definitionId } : {}),
      createdBy: match.createdBy.id, removedBy: context.userId, roleTemplateId: role.templateId, alreadyRemoved: removed === undefined,
    }, 'digest subscription removed by an administrator');
    return { text: `Unsubscribed: this channel no longer gets the digest of ${what} (set up by ${match.createdBy.name}; removed by you as ${role.name}).` };
  },
});
