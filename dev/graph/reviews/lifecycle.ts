import { randomUUID } from 'node:crypto';
import { addDuration, negate, parseDuration } from '../../shared/duration';
import { isDynamic, isUnified } from '../directoryJson';
import type { SqlFragment } from '../filter';
import { storedDefinition, storedInstance, SYSTEM_ACTOR, type StoredInstance } from '../reviewJson';
import type { Db } from '../store/db';
import type { Actor, DecisionStore } from '../store/decisionStore';
import type { DirectoryStore, GroupRow } from '../store/directoryStore';
import { ALL, and, TRUE_SQL } from '../store/paging';
import type { DefinitionRow, InstanceRow, ReviewStore } from '../store/reviewStore';
import { parseReviewer, parseScope, type ReviewerSpec, type ScopeSpec } from './queries';
import { addDays, instanceEnd, occurrenceStart, scheduleOf } from './schedule';
import { APPLY_CHAIN, definitionStatus, endChain, START_CHAIN } from './status';

const DAY = 86_400_000;
/** How Graph writes the guest filter into instance scopes (accessreviewinstance-filterbycurrentuser example). */
const GUEST_FILTER = "/?$count=true&$filter=(userType eq 'Guest')";

/**
 * Graph's review lifecycle, driven by the emulator clock: occurrences start instances (with a snapshot of
 * decision items and resolved reviewers), ends complete them (default decisions, auto-apply), and disabled
 * guests are deleted after their grace period. Events are processed in time order, so a jump of months
 * replays every occurrence. Instances pass through the documented statuses (./status.ts); each transitional one is
 * held for `stepMs()` (twice the injected latency, so a client that waits that latency still sees it), or skipped.
 */
export class Lifecycle {
  /** Earliest pending event; null = unknown (recompute). Lets most requests skip the lifecycle. */
  private nextEvent: string | undefined | null = null;

  constructor(
    private readonly db: Db,
    private readonly directory: DirectoryStore,
    private readonly reviews: ReviewStore,
    private readonly decisions: DecisionStore,
    private readonly stepMs: () => number = () => 0,
  ) {}

  /** Something changed the schedule (a create, an update, a stop): look for events again. */
  invalidate(): void {
    this.nextEvent = null;
  }

  /** Runs every event due at or before `now`. */
  runUntil(now: Date): void {
    const nowIso = now.toISOString();
    if (this.nextEvent !== null && (this.nextEvent === undefined || this.nextEvent > nowIso)) return;
    for (;;) {
      const settling = this.reviews.dueSettlement(nowIso);
      const definition = this.reviews.dueDefinition(nowIso);
      const instance = this.reviews.dueInstance(nowIso);
      const deletion = this.directory.nextDeletion();
      const times = [settling?.settle_at, definition?.next_run_at, instance?.end_at, deletion !== undefined && deletion <= nowIso ? deletion : undefined]
        .filter((t): t is string => typeof t === 'string');
      if (times.length === 0) break;
      const first = times.sort()[0] ?? nowIso;
      this.db.transaction(() => {
        if (settling && settling.settle_at === first) this.settle(settling);
        else if (definition && definition.next_run_at === first) this.startOccurrence(definition);
        else if (instance && instance.end_at === first) this.complete(instance, new Date(first));
        else this.directory.deleteExpiredUsers(first);
      })();
    }
    const pending = [this.reviews.nextEvent(), this.directory.nextDeletion()].filter((t): t is string => t !== undefined).sort();
    this.nextEvent = pending[0];
  }

  private startOccurrence(definition: DefinitionRow): void {
    const stored = storedDefinition(definition);
    const schedule = scheduleOf(stored.settings);
    const occurrence = occurrenceStart(schedule, definition.next_occurrence) ?? new Date(definition.next_run_at ?? 0);
    const start = new Date(Math.max(occurrence.getTime(), Date.parse(stored.createdDateTime)));
    const end = instanceEnd(schedule, occurrence, definition.next_occurrence);
    const scope = parseScope(stored.scope, stored.instanceEnumerationScope ?? undefined);
    const reviewers = stored.reviewers.map((r, i) => parseReviewer(r, `reviewers[${i}]`, true));
    const fallback = stored.fallbackReviewers.map((r, i) => parseReviewer(r, `fallbackReviewers[${i}]`, false));
    const lookBack = parseDuration(stored.settings.recommendationLookBackDuration ?? 'P30D') ?? { years: 0, months: 0, days: 30, milliseconds: 0 };
    const inactiveBefore = addDuration(start, negate(lookBack));
    // A one-time review of one group has one instance, with the definition's id (both access review tutorials).
    const sameId = schedule.pattern === null && scope.kind === 'group';
    for (const group of this.groupsOf(scope, start)) {
      const data = this.instanceData(stored.reviewers, stored.fallbackReviewers, scope, group, stored.settings);
      const instance: InstanceRow = {
        id: sameId ? definition.id : randomUUID(), definition_id: definition.id, start_at: start.toISOString(),
        end_at: end.toISOString(), group_id: group.id, applied: 0, ...this.stepped(data, [...START_CHAIN], start),
      };
      this.reviews.insertInstance(instance);
      this.decisions.snapshot({ instanceId: instance.id, definitionId: definition.id, resourceId: group.id, resourceName: group.display_name },
        {
          from: 'memberships m JOIN users u ON u.id = m.member_id',
          where: and({ sql: "m.group_id = ? AND m.relation = 'member'", params: [group.id] }, principalFilter(scope, start)),
        }, inactiveBefore.toISOString());
      this.assignReviewers(instance, group.id, reviewers, fallback);
    }
    const next = occurrenceStart(schedule, definition.next_occurrence + 1);
    this.reviews.updateDefinition({
      id: definition.id, display_name: definition.display_name, data: definition.data, status: definition.status,
      next_occurrence: definition.next_occurrence + 1, next_run_at: next?.toISOString() ?? null,
    });
    this.refreshDefinition(definition.id);
  }

  /** The definition's status again, from its schedule and its instances' statuses (reviews/status.ts). */
  refreshDefinition(definitionId: string): void {
    const definition = this.reviews.definition(definitionId);
    if (!definition) return;
    const status = definitionStatus(definition.next_occurrence > 0, definition.next_run_at !== null, this.reviews.instanceStatuses(definitionId));
    if (status !== definition.status) this.reviews.updateDefinition({ ...definition, status });
  }

  /**
   * The columns of an instance entering `chain` at `at`: its first status, held until `settle_at`, the rest pending.
   * Without a step (no injected latency) the chain is passed at once: its last status, nothing pending.
   */
  private stepped(data: StoredInstance, chain: string[], at: Date): Pick<InstanceRow, 'status' | 'settle_at' | 'data'> {
    const step = this.stepMs();
    const [first = 'InProgress', ...rest] = step > 0 ? chain : chain.slice(-1);
    return {
      status: first,
      settle_at: rest.length > 0 ? new Date(at.getTime() + step).toISOString() : null,
      data: JSON.stringify({ ...data, pending: rest }),
    };
  }

  /** Moves an instance into `chain` (see stepped) and its definition with it. */
  private enter(instance: InstanceRow, chain: string[], at: Date, change: Partial<InstanceRow> = {}): void {
    this.reviews.updateInstance({ ...instance, ...change, ...this.stepped(storedInstance(instance), chain, at) });
    this.refreshDefinition(instance.definition_id);
    this.invalidate();
  }

  /** A held transitional status is over: the instance takes the next one. */
  private settle(instance: InstanceRow): void {
    const pending = storedInstance(instance).pending ?? [];
    this.enter(instance, pending.length > 0 ? pending : [instance.status], new Date(instance.settle_at ?? 0));
  }

  /** The groups an occurrence reviews: the scope's group, or each Microsoft 365 group with principals in scope. */
  private groupsOf(scope: ScopeSpec, start: Date): GroupRow[] {
    if (scope.kind === 'group') {
      const group = this.directory.group(scope.groupId);
      return group ? [group] : [];
    }
    return this.directory.groups(TRUE_SQL, ALL).items.filter((group) =>
      isUnified(group) && !isDynamic(group) && group.is_assignable_to_role === 0 && (!scope.teamsOnly || group.has_team === 1) &&
      this.directory.countRelated(group.id, 'member', principalFilter(scope, start)) > 0);
  }

  private instanceData(reviewers: Array<Record<string, unknown>>, fallback: Array<Record<string, unknown>>,
    scope: ScopeSpec, group: GroupRow, settings: StoredInstance['settings']): StoredInstance {
    const relation = scope.kind === 'group' ? 'transitiveMembers' : 'members';
    const query = `/v1.0/groups/${group.id}/${relation}/microsoft.graph.user${scope.guestsOnly ? GUEST_FILTER : ''}`;
    return {
      scope: scope.inactiveDays === undefined
        ? { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query, queryType: 'MicrosoftGraph', queryRoot: null }
        : { '@odata.type': '#microsoft.graph.accessReviewInactiveUsersQueryScope', query, queryType: 'MicrosoftGraph', queryRoot: null, inactiveDuration: `P${scope.inactiveDays}D` },
      reviewers: reviewers.map((r) => (r.query === './owners' ? { ...r, query: `/v1.0/groups/${group.id}/owners`, queryRoot: null } : r)),
      fallbackReviewers: fallback,
      settings,
      remindersSent: 0,
    };
  }

  /** Resolves reviewers at the start of an instance; fallbacks cover the instance or the items nobody reviews. */
  private assignReviewers(instance: InstanceRow, groupId: string, reviewers: ReviewerSpec[], fallback: ReviewerSpec[]): void {
    const at = instance.start_at;
    const everyItem = new Set(reviewers.flatMap((spec) => this.resolve(spec, groupId)));
    const perItem = reviewers.length === 0 ? 'self' : reviewers.some((r) => r.kind === 'managers') ? 'manager' : undefined;
    const fallbackUsers = [...new Set(fallback.flatMap((spec) => this.resolve(spec, groupId)))];
    if (everyItem.size > 0) this.decisions.addInstanceReviewers(instance.id, [...everyItem], true, at);
    if (perItem !== undefined) {
      this.decisions.addItemReviewers(instance.id, perItem, at);
      if (everyItem.size === 0 && fallbackUsers.length > 0) this.decisions.addFallbackForUnreviewedItems(instance.id, fallbackUsers, at);
    } else if (everyItem.size === 0 && fallbackUsers.length > 0) {
      this.decisions.addInstanceReviewers(instance.id, fallbackUsers, true, at);
    }
  }

  /** Users a reviewer scope names for one group (per-item kinds resolve to nobody here). */
  resolve(spec: ReviewerSpec, groupId: string): string[] {
    const ids = (group: string, relation: 'owner' | 'member'): string[] =>
      this.directory.related(group, relation, TRUE_SQL, ALL).items.map((u) => u.id);
    switch (spec.kind) {
      case 'user': return this.directory.user(spec.userId) ? [spec.userId] : [];
      case 'groupOwners': return ids(spec.groupId, 'owner');
      case 'groupMembers': return ids(spec.groupId, 'member');
      case 'enumeratedGroupOwners': return ids(groupId, 'owner');
      case 'managers': return [];
    }
  }

  /** Ends an instance: default decisions for unreviewed items, then auto-apply when enabled. */
  complete(instance: InstanceRow, at: Date): void {
    const data = storedInstance(instance);
    const atIso = at.toISOString();
    const settings = data.settings;
    if (settings.defaultDecisionEnabled && settings.defaultDecision !== 'None') {
      const where: SqlFragment = settings.defaultDecision === 'Recommendation'
        ? { sql: "d.decision = 'NotReviewed' AND d.recommendation IN ('Approve', 'Deny')", params: [] }
        : { sql: "d.decision = 'NotReviewed'", params: [] };
      this.decisions.record(instance.id, where, undefined, {
        decision: settings.defaultDecision === 'Recommendation' ? 'recommendation' : settings.defaultDecision,
        justification: '', by: SYSTEM_ACTOR, at: atIso,
      });
    }
    const endAt = atIso < instance.end_at ? atIso : instance.end_at;
    if (settings.autoApplyDecisionsEnabled) this.applyResults(instance, SYSTEM_ACTOR, at);
    this.enter(instance, endChain(settings), at, { end_at: endAt, applied: settings.autoApplyDecisionsEnabled ? 1 : instance.applied });
  }

  /** `applyDecisions` on a completed instance: the results applied, then the instance Applying → Applied. */
  apply(instance: InstanceRow, by: Actor, at: Date): void {
    this.applyResults(instance, by, at);
    this.enter(instance, APPLY_CHAIN, at, { applied: 1 });
  }

  /** Applies an instance's decisions to its group (auto-apply, or `applyDecisions`). */
  private applyResults(instance: InstanceRow, by: Actor, at: Date): void {
    const settings = storedInstance(instance).settings;
    const group = instance.group_id === null ? undefined : this.directory.group(instance.group_id);
    const disable = settings.applyActions.some((a) => a['@odata.type'] === '#microsoft.graph.disableAndDeleteUserApplyAction');
    this.decisions.apply(instance.id, group?.id ?? null, {
      dynamic: group === undefined || isDynamic(group),
      disableGuestsUntil: disable ? addDays(at, 30).toISOString() : null,
    }, by, at.toISOString());
  }
}

/** Which members of a group are in scope: guests only, and/or inactive since before the instance start. */
function principalFilter(scope: ScopeSpec, start: Date): SqlFragment {
  const conditions: string[] = [];
  const params: string[] = [];
  if (scope.guestsOnly) conditions.push("u.user_type = 'Guest'");
  if (scope.inactiveDays !== undefined) {
    conditions.push('(u.last_sign_in IS NULL OR u.last_sign_in < ?)');
    params.push(new Date(start.getTime() - scope.inactiveDays * DAY).toISOString());
  }
  return { sql: conditions.join(' AND ') || '1', params };
}
