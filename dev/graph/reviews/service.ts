import { randomUUID } from 'node:crypto';
import { badRequest, GraphError } from '../errors';
import { storedDefinition, storedInstance, type StoredDefinition } from '../reviewJson';
import type { Db } from '../store/db';
import type { Actor, DecisionStore } from '../store/decisionStore';
import type { DirectoryStore } from '../store/directoryStore';
import type { SqlFragment } from '../filter';
import type { DefinitionRow, InstanceRow, ReviewStore } from '../store/reviewStore';
import type { Lifecycle } from './lifecycle';
import { parseReviewer, stripVersion } from './queries';
import { formatDate, occurrenceStart, scheduleOf } from './schedule';
import { asText, checkUpdate, validateDefinition, type DirectoryLookup, type ValidDefinition } from './validate';

const DECISIONS = ['Approve', 'Deny', 'NotReviewed', 'DontKnow'];

const notActive = (instance: InstanceRow, action: string, expected = 'InProgress'): GraphError =>
  badRequest(`Cannot ${action}: the access review instance is ${instance.status}, not ${expected}.`, 'InvalidReviewState');

type Json = Record<string, unknown>;

/** The access-review operations behind the Graph routes (and the demo seed), with Graph's state rules. */
export class ReviewService {
  constructor(
    private readonly db: Db,
    private readonly directory: DirectoryStore,
    private readonly reviews: ReviewStore,
    private readonly decisions: DecisionStore,
    private readonly lifecycle: Lifecycle,
  ) {}

  private readonly lookup: DirectoryLookup = {
    groupExists: (id) => this.directory.group(id) !== undefined,
    userExists: (id) => this.directory.user(id) !== undefined,
  };

  /** POST definitions: validated, stored `NotStarted`; the lifecycle starts it when the clock reaches its start. */
  create(body: unknown, createdBy: Actor | null, now: Date): DefinitionRow {
    const valid = validateDefinition(body, this.lookup, { today: formatDate(now), mode: 'create' });
    const stored: StoredDefinition = {
      ...valid.body, createdBy, createdDateTime: now.toISOString(), lastModifiedDateTime: now.toISOString(),
    };
    const row: DefinitionRow = {
      id: randomUUID(), display_name: valid.body.displayName, status: 'NotStarted', created_by: createdBy?.id ?? null,
      scope_query: String(valid.body.scope.query), next_occurrence: 0,
      next_run_at: occurrenceStart(valid.schedule, 0)?.toISOString() ?? null, data: JSON.stringify(stored),
    };
    this.reviews.insertDefinition(row);
    this.lifecycle.invalidate();
    return row;
  }

  /** PUT definition (full object): future instances follow the new settings; the scope stays. */
  update(definition: DefinitionRow, body: unknown, now: Date): void {
    const previous = storedDefinition(definition);
    const before = validateDefinition(previous, this.lookup, { today: formatDate(now), mode: 'update' });
    const next: ValidDefinition = validateDefinition(body, this.lookup, { today: formatDate(now), mode: 'update' });
    checkUpdate(before, next);
    const stored: StoredDefinition = {
      ...next.body, createdBy: previous.createdBy, createdDateTime: previous.createdDateTime, lastModifiedDateTime: now.toISOString(),
    };
    const nextRun = occurrenceStart(scheduleOf(next.body.settings), definition.next_occurrence);
    this.reviews.updateDefinition({
      id: definition.id, display_name: next.body.displayName, status: definition.status,
      next_occurrence: definition.next_occurrence, next_run_at: nextRun?.toISOString() ?? null, data: JSON.stringify(stored),
    });
    this.lifecycle.refreshDefinition(definition.id);
    this.lifecycle.invalidate();
  }

  remove(definition: DefinitionRow): void {
    this.reviews.deleteDefinition(definition.id);
    this.lifecycle.invalidate();
  }

  /** Ends an in-progress instance now; the series goes on. */
  stop(instance: InstanceRow, now: Date): void {
    if (instance.status !== 'InProgress') throw notActive(instance, 'stop the review');
    this.db.transaction(() => this.lifecycle.complete(instance, now))();
  }

  remind(instance: InstanceRow): void {
    if (instance.status !== 'InProgress') throw notActive(instance, 'send reminders');
    const data = storedInstance(instance);
    this.reviews.updateInstance({ ...instance, data: JSON.stringify({ ...data, remindersSent: data.remindersSent + 1 }) });
  }

  applyDecisions(instance: InstanceRow, by: Actor, now: Date): void {
    if (instance.status !== 'Completed') throw notActive(instance, 'apply decisions', 'Completed');
    this.db.transaction(() => this.lifecycle.apply(instance, by, now))();
  }

  reset(instance: InstanceRow): void {
    if (instance.status !== 'InProgress') throw notActive(instance, 'reset decisions');
    this.decisions.reset(instance.id);
  }

  /** PATCH one decision item, as its reviewer. */
  recordDecision(instance: InstanceRow, decisionId: string, body: unknown, reviewer: Actor, now: Date): void {
    const change = this.decisionChange(instance, body, ['decision', 'justification']);
    this.decisions.record(instance.id, { sql: 'd.id = ?', params: [decisionId] }, reviewer.id,
      { ...change, by: reviewer, at: now.toISOString() });
  }

  /** batchRecordDecisions: one decision for every item the reviewer reviews, optionally one principal/resource. */
  batchRecord(instance: InstanceRow, body: unknown, reviewer: Actor, now: Date): void {
    const change = this.decisionChange(instance, body, ['decision', 'justification', 'principalId', 'resourceId']);
    const input = body as Json;
    const conditions: string[] = [];
    const params: string[] = [];
    for (const [key, column] of [['principalId', 'd.principal_id'], ['resourceId', 'd.resource_id']] as const) {
      if (input[key] !== undefined && input[key] !== null) {
        conditions.push(`${column} = ?`);
        params.push(asText(input[key]));
      }
    }
    const where: SqlFragment = { sql: conditions.join(' AND ') || '1', params };
    this.decisions.record(instance.id, where, reviewer.id, { ...change, by: reviewer, at: now.toISOString() });
  }

  /** acceptRecommendations: the reviewer's unreviewed items take their Approve/Deny recommendation. */
  acceptRecommendations(instance: InstanceRow, reviewer: Actor, now: Date): void {
    if (instance.status !== 'InProgress') throw notActive(instance, 'accept recommendations');
    this.decisions.record(instance.id, { sql: "d.decision = 'NotReviewed' AND d.recommendation IN ('Approve', 'Deny')", params: [] },
      reviewer.id, { decision: 'recommendation', justification: '', by: reviewer, at: now.toISOString() });
  }

  private decisionChange(instance: InstanceRow, body: unknown, allowed: string[]): { decision: string; justification: string } {
    if (instance.status !== 'InProgress') throw notActive(instance, 'record decisions');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
    const input = body as Json;
    const unknown = Object.keys(input).find((key) => !allowed.includes(key) && !key.startsWith('@odata'));
    if (unknown !== undefined) throw badRequest(`The property '${unknown}' does not exist on this request.`);
    const decision = DECISIONS.find((d) => d.toLowerCase() === String(input.decision).toLowerCase());
    if (!decision) throw badRequest(`Invalid value for 'decision': '${String(input.decision)}' is not one of ${DECISIONS.join(', ')}.`);
    const justification = input.justification === undefined || input.justification === null ? '' : input.justification;
    if (typeof justification !== 'string') throw badRequest("Invalid value for 'justification': a string is expected.");
    if (decision === 'Approve' && justification.trim() === '' && storedInstance(instance).settings.justificationRequiredOnApproval) {
      throw badRequest('A justification is required to approve access in this review.', 'JustificationRequired');
    }
    return { decision, justification };
  }

  /** PUT instance: new reviewers for this instance only; fallback reviewers can be added, never removed (409). */
  updateInstanceReviewers(instance: InstanceRow, body: unknown, now: Date): InstanceRow {
    if (instance.status !== 'InProgress') throw notActive(instance, 'change reviewers');
    const input = (typeof body === 'object' && body !== null ? body : {}) as Json;
    const data = storedInstance(instance);
    const scope = input.scope as Json | undefined;
    if (!scope || typeof scope.query !== 'string') throw badRequest("The required property 'scope' is missing.");
    if (stripVersion(scope.query) !== stripVersion(String(data.scope.query))) throw badRequest("Invalid value for 'scope': it cannot be changed.");
    const list = (value: unknown, field: string): Json[] => {
      if (value === undefined) return [];
      if (!Array.isArray(value)) throw badRequest(`Invalid value for '${field}': an array is expected.`);
      return value.map((entry) => ({ query: String((entry as Json).query), queryType: 'MicrosoftGraph', queryRoot: (entry as Json).queryRoot ?? null }));
    };
    const reviewers = list(input.reviewers, 'reviewers');
    const fallback = list(input.fallbackReviewers, 'fallbackReviewers');
    const keep = new Set(fallback.map((r) => stripVersion(String(r.query))));
    if (data.fallbackReviewers.some((r) => !keep.has(stripVersion(String(r.query))))) {
      throw new GraphError(409, 'Conflict', 'Fallback reviewers cannot be removed from an access review instance.');
    }
    const specs = reviewers.map((r, i) => parseReviewerOr400(r, `reviewers[${i}]`));
    const users = [...new Set(specs.flatMap((spec) => this.lifecycle.resolve(spec, instance.group_id ?? '')))];
    this.decisions.replaceInstanceReviewers(instance.id, users, now.toISOString());
    const updated = { ...instance, data: JSON.stringify({ ...data, reviewers, fallbackReviewers: fallback }) };
    this.reviews.updateInstance(updated);
    return updated;
  }
}

function parseReviewerOr400(reviewer: Json, field: string): ReturnType<typeof parseReviewer> {
  try {
    return parseReviewer(reviewer, field, true);
  } catch (error) {
    throw badRequest(`Invalid value for '${field}': ${error instanceof Error ? error.message : 'unsupported reviewer'}.`);
  }
}
