import type {
  AccessReviewsApi, DefinitionFilter, DefinitionPage, DefinitionsFromPage, DirectoryApi, DirectoryRoles, GraphApis, GroupInfo, RecordOutcome, ReviewDefinition,
  ReviewerApi, ReviewerItem, UserInfo, UsersByEmail,
} from '../../bot/graph/apis';
import { AppError } from '../../bot/errors';
import type { DefinitionBody } from '../../reviews/definition';
import { inReviewsList } from '../../reviews/status';
import type { DecisionValue, ExportedDecision, InstanceAction, NamedIdentity, ReviewInstance } from '../../bot/graph/apis';

/**
 * In-memory fakes of the Graph seam's interfaces (bot/graph/apis.ts) for unit tests: a small tenant (users,
 * groups with members and owners, access review definitions), every call recorded with the identity it was made
 * as, and failures injected per method. Answers have the shapes the real seam returns after parsing.
 */

export interface FakeUser {
  id: string;
  displayName: string;
  mail?: string;
  userPrincipalName?: string;
  userType?: 'Member' | 'Guest';
}

export interface FakeGroup {
  id: string;
  displayName: string;
  /** User ids (guests included). */
  members?: string[];
  owners?: string[];
  isDynamic?: boolean;
  isAssignableToRole?: boolean;
  isMicrosoft365?: boolean;
}

/** A decision item of a fake run: who is reviewed, the decision so far, and (for the reviewer's side) who reviews it. */
export interface FakeItem {
  principalId: string;
  decision: DecisionValue;
  applied?: boolean;
  justification?: string;
  /** User ids who review this item (filterByCurrentUser(on='reviewer')); none: nobody in particular. */
  reviewers?: string[];
  recommendation?: 'Approve' | 'Deny' | 'NoInfoAvailable';
  /** As Graph sends it on the principal (ISO, a locale string, or ''). */
  lastSignIn?: string;
  /** Who recorded the decision. */
  reviewedBy?: string;
}

/** One run (instance) of a definition in the fake, with its decision items (admin actions: stop, remind, apply, reset). */
export interface FakeRun extends ReviewInstance {
  definitionId: string;
  /** Decision items: who is reviewed and the decision so far. */
  items: FakeItem[];
  /** How many times sendReminder was called. */
  reminders?: number;
}

export type FakeMethod = keyof AccessReviewsApi | keyof DirectoryApi | keyof ReviewerApi;

/** One call through the fake: who made it (a user id, or 'app'), which method, with what. */
export interface FakeCall {
  as: string;
  method: FakeMethod;
  args: unknown[];
}

interface Failure {
  error: AppError;
  /** 'before': nothing happens; 'after': the call takes effect and its answer is lost (a timeout, a 5xx after a write). */
  when: 'before' | 'after';
}

export const APP = 'app';

const busy = (): AppError =>
  new AppError('GraphUnavailable', 'Microsoft Graph is busy, so I could not do that. Try again in 30 seconds.', { status: 503, retryAfterSeconds: 30 });

export class FakeTenant {
  readonly users: FakeUser[];
  readonly groups: FakeGroup[];
  readonly definitions: ReviewDefinition[];
  readonly calls: FakeCall[] = [];
  /** Runs (instances) of the definitions, for the admin actions; add them in tests. */
  readonly runs: FakeRun[] = [];
  /** Decision items of an instance as Graph returns them (show, decisions); without, they come from its run's items. */
  readonly decisionItems = new Map<string, ExportedDecision[]>();
  /** Runs still listed (instancesOf) but gone when their items are read: deleted between a list and a count. */
  readonly vanishing = new Set<string>();
  /** Contacted reviewers of an instance (show). */
  readonly contacted = new Map<string, NamedIdentity[]>();
  /** Items per page of `readInstancesPage` / `readDecisionsPage` (Graph's is 100). */
  exportPageSize = 100;
  /**
   * Directory roles by user id (myDirectoryRoles): role template ids, and `unnamed` roles Graph returns without one
   * ("limited information"); `complete: false` when memberships were left unread.
   */
  readonly directoryRoles = new Map<string, Partial<DirectoryRoles>>();
  /** The directory roles of every user not in `directoryRoles` (none by default). */
  defaultDirectoryRoles: Partial<DirectoryRoles> = {};
  /** How many times `forApp()` was asked for (scheduled work only). */
  appViews = 0;
  /** Decision items (by id) whose recording Graph refuses in `recordDecisions`, with its error (the item stays as it was). */
  readonly refusals = new Map<string, AppError>();
  private readonly failures = new Map<FakeMethod, Failure[]>();
  private nextId = 1;

  constructor(data: { users?: FakeUser[]; groups?: FakeGroup[]; definitions?: ReviewDefinition[] } = {},
    private readonly now: () => number = () => Date.parse('2025-06-02T09:00:00Z')) {
    this.users = data.users ?? [];
    this.groups = data.groups ?? [];
    this.definitions = data.definitions ?? [];
  }

  /** Graph as `userId` (what GraphSeam.forUser gives). */
  forUser(userId: string): GraphApis {
    return fakeApis(this, userId);
  }

  /** Graph as the bot itself (what GraphSeam.forApp gives). */
  forApp(): GraphApis {
    this.appViews += 1;
    return fakeApis(this, APP);
  }

  /** The next call of `method` fails with `error` (default: Graph busy); queued failures are used in order. */
  failNext(method: FakeMethod, error: AppError = busy(), when: Failure['when'] = 'before'): this {
    this.failures.set(method, [...(this.failures.get(method) ?? []), { error, when }]);
    return this;
  }

  /** The methods called, in order (optionally of one identity). */
  methods(as?: string): FakeMethod[] {
    return this.calls.filter((call) => as === undefined || call.as === as).map((call) => call.method);
  }

  /** Records the call, applies an injected failure, runs it. */
  async call<T>(as: string, method: FakeMethod, args: unknown[], run: () => T): Promise<T> {
    this.calls.push({ as, method, args });
    const failure = this.failures.get(method)?.shift();
    if (failure?.when === 'before') throw failure.error;
    const result = run();
    if (failure) throw failure.error;
    return Promise.resolve(result);
  }

  user(id: string): FakeUser {
    const found = this.users.find((u) => u.id === id);
    if (!found) throw new AppError('NotFound', 'That no longer exists (Microsoft Graph could not find it while trying to read your profile). Nothing else changed.', { status: 404 });
    return found;
  }

  group(id: string, what: string): FakeGroup {
    const found = this.groups.find((g) => g.id.toLowerCase() === id.toLowerCase());
    if (!found) throw new AppError('NotFound', `That no longer exists (Microsoft Graph could not find it while trying to ${what}). Nothing else changed.`, { status: 404 });
    return found;
  }

  /** The users of a group (direct members only: the fake has no nested groups). */
  membersOf(group: FakeGroup): FakeUser[] {
    return (group.members ?? []).map((id) => this.users.find((u) => u.id === id)).filter((u): u is FakeUser => u !== undefined);
  }

  create(as: string, body: DefinitionBody): ReviewDefinition {
    const creator = this.users.find((u) => u.id === as);
    const definition: ReviewDefinition = {
      ...body, id: `definition-${this.nextId++}`, status: 'NotStarted', createdDateTime: new Date(this.now()).toISOString(),
      createdBy: { id: as, displayName: creator?.displayName ?? null, userPrincipalName: creator?.userPrincipalName ?? null },
    };
    this.definitions.push(definition);
    return definition;
  }

  /** The run `instanceId` of `definitionId`, as Graph finds it (404 when it or its definition is gone). */
  run(definitionId: string, instanceId: string): FakeRun {
    const found = this.definitions.some((d) => d.id === definitionId) && !this.vanishing.has(instanceId)
      ? this.runs.find((r) => r.definitionId === definitionId && r.id === instanceId) : undefined;
    if (!found) throw new AppError('NotFound', 'That no longer exists (Microsoft Graph could not find it while trying to read the current run of the access review). Nothing else changed.', { status: 404 });
    return found;
  }

  /** An instance action with Graph's preconditions (400 when the run is not in the state the action needs). */
  act(definitionId: string, instanceId: string, action: InstanceAction): void {
    const run = this.run(definitionId, instanceId);
    const needs = action === 'applyDecisions' ? 'Completed' : 'InProgress';
    if (run.status !== needs) throw new AppError('BadRequest', `Microsoft Graph rejected the request: the instance is ${String(run.status)}, not ${needs}.`, { status: 400 });
    if (action === 'stop') run.status = 'Completed';
    if (action === 'sendReminder') run.reminders = (run.reminders ?? 0) + 1;
    if (action === 'resetDecisions') for (const item of run.items) item.decision = 'NotReviewed';
    if (action === 'applyDecisions') {
      run.status = 'Applied';
      for (const item of run.items) item.applied = item.decision === 'Approve' || item.decision === 'Deny';
      const group = this.groups.find((g) => (run.scope?.query ?? '').toLowerCase().includes(g.id.toLowerCase()));
      const denied = new Set(run.items.filter((i) => i.decision === 'Deny').map((i) => i.principalId));
      if (group?.members) group.members = group.members.filter((m) => !denied.has(m));
    }
  }
}

/** One page of `all` from the position in `link` (`?skip=N`), with the link to the next page when more follow. */
function fakePage<T>(all: readonly T[], link: string | undefined, size: number, base: string): { items: T[]; nextLink: string | undefined } {
  const start = link === undefined ? 0 : Number(new URL(link).searchParams.get('skip') ?? '0');
  const end = start + size;
  return { items: all.slice(start, end), nextLink: end < all.length ? `${base}?skip=${end}` : undefined };
}

const groupInfo = (group: FakeGroup): GroupInfo => ({
  id: group.id, displayName: group.displayName, isDynamic: group.isDynamic === true, isAssignableToRole: group.isAssignableToRole === true,
  isMicrosoft365: group.isMicrosoft365 === true,
});

const userInfo = (user: FakeUser): UserInfo =>
  ({ id: user.id, displayName: user.displayName, ...(user.userPrincipalName ? { userPrincipalName: user.userPrincipalName } : {}) });

/** A definition's scope query, lower case ('' without one). */
function scopeQuery(definition: ReviewDefinition): string {
  const scope: { query?: unknown } | null | undefined = definition.scope;
  return typeof scope?.query === 'string' ? scope.query.toLowerCase() : '';
}

/** The interfaces as one identity sees the tenant. */
function fakeApis(tenant: FakeTenant, as: string): GraphApis {
  const call = <T>(method: FakeMethod, args: unknown[], run: () => T): Promise<T> => tenant.call(as, method, args, run);
  /** A run's decision items (of one decision value when given), in Graph's order. */
  const itemsOf = (definitionId: string, instanceId: string, decision: string | undefined): ExportedDecision[] => {
    const run = tenant.run(definitionId, instanceId);
    const all = tenant.decisionItems.get(instanceId) ?? run.items.map((item, n): ExportedDecision => ({ id: `${instanceId}-${n}`, decision: item.decision, principal: { id: item.principalId } }));
    return all.filter((item) => decision === undefined || item.decision === decision);
  };
  const reviews: AccessReviewsApi = {
    // Active / completed over the whole status vocabulary, as the seam filters them (reviews/status.ts).
    listDefinitions: (filter: DefinitionFilter, top = 100, groupId?: string) => call('listDefinitions', groupId === undefined ? [filter, top] : [filter, top, groupId], (): DefinitionPage => {
      const matching = tenant.definitions.filter((d) => inReviewsList(filter, d.status) && (groupId === undefined || scopeQuery(d).includes(`/groups/${groupId.toLowerCase()}`)));
      return { definitions: matching.slice(0, top), nextLink: matching.length > top ? `fake://definitions?$skip=${top}` : undefined };
    }),
    // Named `name`, among the reviews of the scope's group when it names one (the documented contains filter).
    findDefinitionsByName: (name, scope) => call('findDefinitionsByName', scope === undefined ? [name] : [name, scope], () => {
      const group = /\/groups\/([0-9a-f-]{36})/i.exec(scope?.query ?? '')?.[1]?.toLowerCase();
      return tenant.definitions.filter((d) => d.displayName === name && (group === undefined || scopeQuery(d).includes(`/groups/${group}`)));
    }),
    createDefinition: (body) => call('createDefinition', [body], () => tenant.create(as, body)),
    getDefinition: (id) => call('getDefinition', [id], () => {
      const found = tenant.definitions.find((d) => d.id.toLowerCase() === id.toLowerCase());
      if (!found) throw new AppError('NotFound', 'That no longer exists (Microsoft Graph could not find it while trying to read the access review). Nothing else changed.', { status: 404 });
      return found;
    }),
    allDefinitions: (maxPages = 10) => call('allDefinitions', [maxPages], () => ({ definitions: tenant.definitions.slice(0, maxPages * 100), complete: tenant.definitions.length <= maxPages * 100 })),
    // Graph pages of 100 positioned by `$skip` (the fake's page token), filtered as the seam filters them.
    definitionsFrom: (filter, size, groupId, from) => call('definitionsFrom', groupId === undefined ? [filter, size, from] : [filter, size, groupId, from], (): DefinitionsFromPage => {
      if (from.skiptoken !== undefined) throw new AppError('BadRequest', 'Microsoft Graph rejected the request to list the access reviews: \'Invalid $skiptoken\'', { status: 400 });
      const listed = tenant.definitions.filter((d) => groupId === undefined || scopeQuery(d).includes(`/groups/${groupId.toLowerCase()}`));
      const base = from.skip ?? 0;
      const found: ReviewDefinition[] = [];
      for (const [index, definition] of listed.entries()) {
        if (index < base + from.offset || !inReviewsList(filter, definition.status)) continue;
        if (found.length === size) {
          const pageStart = base + Math.floor((index - base) / 100) * 100;
          return { definitions: found, next: { ...(pageStart === 0 ? {} : { skip: pageStart }), offset: index - pageStart }, more: true };
        }
        found.push(definition);
      }
      return { definitions: found, next: undefined, more: false };
    }),
    instancesPage: (definitionId) => call('instancesPage', [definitionId], () => {
      if (!tenant.definitions.some((d) => d.id === definitionId)) {
        throw new AppError('NotFound', 'That no longer exists (Microsoft Graph could not find it while trying to read the runs of the access review). Nothing else changed.', { status: 404 });
      }
      const runs = tenant.runs.filter((r) => r.definitionId === definitionId).map(({ definitionId: _d, items: _i, reminders: _r, ...instance }) => instance);
      return { instances: runs.slice(0, 100), more: runs.length > 100 };
    }),
    contactedReviewers: (definitionId, instanceId) => call('contactedReviewers', [definitionId, instanceId], () => {
      tenant.run(definitionId, instanceId);
      return tenant.contacted.get(instanceId) ?? [];
    }),
    // Pages of 100, 20 to a request, until a short page: as the seam reads them.
    scanDecisions: (definitionId, instanceId, options, onPage) => call('scanDecisions', [definitionId, instanceId, options], () => {
      const items = itemsOf(definitionId, instanceId, options.decision);
      const pages = Math.floor(items.length / 100) + 1;
      for (let page = 0; page < pages; page += 1) onPage(items.slice(page * 100, page * 100 + 100));
      return { complete: true, requests: Math.ceil(pages / 20) };
    }),
    // Many runs in shared batches: every page of each run in order; a run the tenant does not hold is reported failed.
    scanInstances: (instances, options, onPage) => call('scanInstances', [instances, options], () => {
      const failed: Array<{ index: number; error: AppError }> = [];
      let pages = 0;
      instances.forEach(({ definitionId, instanceId }, index) => {
        let items: ExportedDecision[];
        try {
          items = itemsOf(definitionId, instanceId, options.decision);
        } catch (error) {
          if (error instanceof AppError) failed.push({ index, error });
          else throw error;
          return;
        }
        for (let page = 0; page * 100 < Math.max(items.length, 1); page += 1, pages += 1) onPage(index, items.slice(page * 100, page * 100 + 100));
      });
      return { batches: Math.ceil(pages / 20), failed, truncated: [] };
    }),
    decisionsAt: (definitionId, instanceId, options) => call('decisionsAt', [definitionId, instanceId, options],
      () => itemsOf(definitionId, instanceId, options.decision).slice(options.skip, options.skip + Math.min(options.top, 100))),
    instancesOf: (ids) => call('instancesOf', [ids], () => new Map(ids.filter((id) => tenant.definitions.some((d) => d.id === id))
      .map((id) => [id, tenant.runs.filter((r) => r.definitionId === id).map(({ definitionId: _d, items: _i, reminders: _r, ...instance }) => instance)]))),
    reviewInstances: (definitionId) => call('reviewInstances', [definitionId], () => {
      if (!tenant.definitions.some((d) => d.id === definitionId)) {
        throw new AppError('NotFound', 'That no longer exists (Microsoft Graph could not find it while trying to read the runs of the access review). Nothing else changed.', { status: 404 });
      }
      return tenant.runs.filter((r) => r.definitionId === definitionId).map(({ definitionId: _d, items: _i, reminders: _r, ...instance }) => instance);
    }),
    reviewInstance: (definitionId, instanceId) => call('reviewInstance', [definitionId, instanceId], () => {
      const { definitionId: _d, items: _i, reminders: _r, ...instance } = tenant.run(definitionId, instanceId);
      return instance;
    }),
    countInstanceDecisions: (definitionId, instanceId, decision) => call('countInstanceDecisions', decision === undefined ? [definitionId, instanceId] : [definitionId, instanceId, decision],
      () => ({ count: tenant.run(definitionId, instanceId).items.filter((i) => decision === undefined || i.decision === decision).length, complete: true })),
    instanceAction: (definitionId, instanceId, action) => call('instanceAction', [definitionId, instanceId, action], () => tenant.act(definitionId, instanceId, action)),
    deleteDefinition: (definitionId) => call('deleteDefinition', [definitionId], () => {
      const index = tenant.definitions.findIndex((d) => d.id === definitionId);
      if (index < 0) throw new AppError('NotFound', 'That no longer exists (Microsoft Graph could not find it while trying to delete the access review). Nothing else changed.', { status: 404 });
      tenant.definitions.splice(index, 1);
    }),
    // `edit`: the whole object replaces the stored one (read-only properties kept), as Graph's PUT.
    updateDefinition: (definitionId, body) => call('updateDefinition', [definitionId, body], () => {
      const index = tenant.definitions.findIndex((d) => d.id === definitionId);
      const stored = tenant.definitions[index];
      if (stored === undefined) throw new AppError('NotFound', 'That no longer exists (Microsoft Graph could not find it while trying to change the access review). Nothing else changed.', { status: 404 });
      tenant.definitions[index] = { ...body, id: definitionId, status: stored.status, createdBy: stored.createdBy, createdDateTime: stored.createdDateTime };
    }),
    // `export`'s paged reads over the runs above, `tenant.exportPageSize` items a page (links: fake://…?skip=N).
    readInstancesPage: (definitionId, link) => call('readInstancesPage', link === undefined ? [definitionId] : [definitionId, link], () => {
      if (!tenant.definitions.some((d) => d.id === definitionId)) throw new AppError('NotFound', 'That no longer exists. Nothing else changed.', { status: 404 });
      const runs = tenant.runs.filter((r) => r.definitionId === definitionId).map(({ definitionId: _d, items: _i, reminders: _r, ...instance }) => instance);
      return fakePage(runs, link, tenant.exportPageSize, `fake://instances/${definitionId}`);
    }),
    readDecisionsPage: (definitionId, instanceId, link) => call('readDecisionsPage', link === undefined ? [definitionId, instanceId] : [definitionId, instanceId, link], () => {
      const run = tenant.run(definitionId, instanceId);
      const items = run.items.map((item, index) => ({
        id: `${run.id}-decision-${index}`, decision: item.decision, justification: item.justification ?? null,
        principal: { id: item.principalId, displayName: tenant.users.find((u) => u.id === item.principalId)?.displayName ?? null, type: 'user' },
      }));
      return fakePage(items, link, tenant.exportPageSize, `fake://decisions/${instanceId}`);
    }),
  };
  const directory: DirectoryApi = {
    me: () => call('me', [], () => userInfo(tenant.user(as))),
    userNames: (ids) => call('userNames', [ids], () => {
      const wanted = new Set([...new Set(ids)].slice(0, 15).map((id) => id.toLowerCase()));
      return new Map(tenant.users.filter((u) => wanted.has(u.id.toLowerCase())).map((u) => [u.id.toLowerCase(), u.displayName]));
    }),
    groupNames: (ids) => call('groupNames', [ids], () => {
      const wanted = new Set([...new Set(ids)].slice(0, 15).map((id) => id.toLowerCase()));
      return new Map(tenant.groups.filter((g) => wanted.has(g.id.toLowerCase())).map((g) => [g.id.toLowerCase(), g.displayName]));
    }),
    searchGroups: (text, top = 8) => call('searchGroups', [text, top], () => {
      const found = tenant.groups.filter((g) => g.displayName.toLowerCase().startsWith(text.toLowerCase())).map(groupInfo);
      const exact = found.filter((g) => g.displayName.toLowerCase() === text.toLowerCase());
      return [...exact, ...found.filter((g) => !exact.includes(g))].slice(0, top);
    }),
    getGroup: (id) => call('getGroup', [id], () => groupInfo(tenant.group(id, 'read the group'))),
    countGroupUsers: (groupId, guestsOnly) => call('countGroupUsers', [groupId, guestsOnly], () =>
      tenant.membersOf(tenant.group(groupId, 'count the members of the group')).filter((u) => !guestsOnly || u.userType === 'Guest').length),
    countGroupOwners: (groupId) => call('countGroupOwners', [groupId], () => (tenant.group(groupId, 'count the owners of the group').owners ?? []).length),
    isInGroup: (groupId, userId) => call('isInGroup', [groupId, userId], () =>
      tenant.membersOf(tenant.group(groupId, 'count the group membership')).some((u) => u.id === userId)),
    countGuests: () => call('countGuests', [], () => tenant.users.filter((u) => u.userType === 'Guest').length),
    myDirectoryRoles: () => call('myDirectoryRoles', [], (): DirectoryRoles => {
      const roles = tenant.directoryRoles.get(as) ?? tenant.defaultDirectoryRoles;
      return { roleTemplateIds: (roles.roleTemplateIds ?? []).map((id) => id.toLowerCase()), unnamed: roles.unnamed ?? 0, complete: roles.complete ?? true };
    }),
    findUsersByEmail: (emails) => call('findUsersByEmail', [emails], (): UsersByEmail => {
      const wanted = [...new Set(emails.map((e) => e.toLowerCase()))].slice(0, 15);
      const addresses = (u: FakeUser): string[] => [u.mail, u.userPrincipalName].filter((v): v is string => v !== undefined).map((v) => v.toLowerCase());
      const found = tenant.users.filter((u) => addresses(u).some((a) => wanted.includes(a)));
      return { users: found.map(userInfo), missing: wanted.filter((email) => !found.some((u) => addresses(u).includes(email))) };
    }),
  };
  const reviewer = fakeReviewer(tenant, as, call);
  return { reviews, directory, reviewer };
}

/** Graph refuses app tokens on the reviewer's walk and decisions (delegated only). */
const delegatedOnly = (as: string): void => {
  if (as === APP) throw new AppError('Forbidden', 'Recording decisions needs a signed-in reviewer.', { status: 403 });
};

/**
 * The reviewer's side of the fake: items whose `reviewers` include the caller, ids `<instanceId>-<index>` (as
 * `decisionsAt` and `scanDecisions` name them), decisions recorded with Graph's rules (the caller's own items only,
 * a running instance, a justification to approve when the review requires one).
 */
function fakeReviewer(tenant: FakeTenant, as: string, call: <T>(method: FakeMethod, args: unknown[], run: () => T) => Promise<T>): ReviewerApi {
  const mine = (run: FakeRun): Array<{ item: FakeItem; id: string }> =>
    run.items.map((item, n) => ({ item, id: `${run.id}-${n}` })).filter(({ item }) => item.reviewers?.includes(as) === true);
  const toItem = ({ item, id }: { item: FakeItem; id: string }): ReviewerItem => {
    const user = tenant.users.find((u) => u.id === item.principalId);
    return {
      id, decision: item.decision, justification: item.justification ?? null, recommendation: item.recommendation ?? null, resourceId: null,
      principal: {
        id: item.principalId, displayName: user?.displayName ?? null, userPrincipalName: user?.userPrincipalName ?? null, type: 'user',
        lastUserSignInDateTime: item.lastSignIn ?? null,
      },
    };
  };
  const runOf = (definitionId: string, instanceId: string): FakeRun => {
    delegatedOnly(as);
    return tenant.run(definitionId, instanceId);
  };
  return {
    myDefinitions: (maxPages) => call('myDefinitions', [maxPages], () => {
      delegatedOnly(as);
      const ids = new Set(tenant.runs.filter((run) => mine(run).length > 0).map((run) => run.definitionId));
      return { definitions: tenant.definitions.filter((d) => ids.has(d.id)), complete: true };
    }),
    myInstances: (definitionIds) => call('myInstances', [definitionIds], () => {
      delegatedOnly(as);
      return new Map(definitionIds.map((id) => [id, tenant.runs.filter((run) => run.definitionId === id && mine(run).length > 0)
        .map(({ definitionId: _d, items: _i, reminders: _r, ...instance }) => instance)]));
    }),
    myItemCounts: (instances) => call('myItemCounts', [instances], () => {
      delegatedOnly(as);
      return instances.map(({ definitionId, instanceId }) => {
        const run = tenant.runs.find((r) => r.definitionId === definitionId && r.id === instanceId);
        if (run === undefined) return undefined;
        const items = mine(run);
        return { total: items.length, undecided: items.filter(({ item }) => item.decision === 'NotReviewed').length };
      });
    }),
    myItems: (definitionId, instanceId, options) => call('myItems', [definitionId, instanceId, options], () => {
      const matching = mine(runOf(definitionId, instanceId)).map(toItem).filter((item) =>
        options.filter === 'undecided' ? item.decision === 'NotReviewed'
          : options.filter === 'recommendedDeny' ? item.recommendation === 'Deny'
            : options.filter === 'guests' ? (item.principal.userPrincipalName ?? '').toLowerCase().includes('#ext#') : true);
      return { items: matching.slice(options.skip, options.skip + options.size), total: matching.length };
    }),
    allMyItems: (definitionId, instanceId, maxItems) => call('allMyItems', [definitionId, instanceId, maxItems], () =>
      mine(runOf(definitionId, instanceId)).map(toItem).slice(0, maxItems ?? 100_000)),
    recordDecisions: (definitionId, instanceId, choices) => call('recordDecisions', [definitionId, instanceId, choices], (): RecordOutcome => {
      const run = runOf(definitionId, instanceId);
      const definition = tenant.definitions.find((d) => d.id === definitionId);
      const outcome: RecordOutcome = { recorded: [], failed: [], requests: Math.ceil(choices.length / 20) };
      for (const choice of choices) {
        const found = mine(run).find(({ id }) => id === choice.itemId);
        const refusal = tenant.refusals.get(choice.itemId);
        if (refusal !== undefined) {
          outcome.failed.push({ itemId: choice.itemId, error: refusal });
        } else if (run.status !== 'InProgress') {
          outcome.failed.push({ itemId: choice.itemId, error: new AppError('InvalidInput', 'The review is not in progress.', { status: 400 }) });
        } else if (found === undefined) {
          outcome.failed.push({ itemId: choice.itemId, error: new AppError('Forbidden', 'Only the reviewers of this item can decide it.', { status: 403 }) });
        } else if (choice.decision === 'Approve' && (choice.justification ?? '').trim() === '' && definition?.settings?.justificationRequiredOnApproval === true) {
          outcome.failed.push({ itemId: choice.itemId, error: new AppError('InvalidInput', 'A justification is required to approve access in this review.', { status: 400 }) });
        } else {
          Object.assign(found.item, { decision: choice.decision, justification: choice.justification ?? '', reviewedBy: as });
          outcome.recorded.push(choice.itemId);
        }
      }
      return outcome;
    }),
    acceptRecommendations: (definitionId, instanceId) => call('acceptRecommendations', [definitionId, instanceId], () => {
      const run = runOf(definitionId, instanceId);
      if (run.status !== 'InProgress') throw new AppError('InvalidInput', 'The review is not in progress.', { status: 400 });
      for (const { item } of mine(run)) {
        if (item.decision === 'NotReviewed' && (item.recommendation === 'Approve' || item.recommendation === 'Deny')) {
          Object.assign(item, { decision: item.recommendation, reviewedBy: as });
        }
      }
    }),
  };
}

/** A small tenant: Adele (the requester), two members, two guests; Sales Team (members, guests, two owners), Finance (no owner). */
export const IDS = {
  adele: 'aaaaaaaa-0000-4000-8000-000000000001', megan: 'aaaaaaaa-0000-4000-8000-000000000002', alex: 'aaaaaaaa-0000-4000-8000-000000000003',
  guestA: 'aaaaaaaa-0000-4000-8000-0000000000a1', guestB: 'aaaaaaaa-0000-4000-8000-0000000000a2',
  sales: 'bbbbbbbb-0000-4000-8000-000000000001', finance: 'bbbbbbbb-0000-4000-8000-000000000002', salesOps: 'bbbbbbbb-0000-4000-8000-000000000003',
} as const;

export function smallTenant(now?: () => number): FakeTenant {
  return new FakeTenant({
    users: [
      { id: IDS.adele, displayName: 'Adele Vance', mail: 'adele@contoso.local', userPrincipalName: 'adele@contoso.local', userType: 'Member' },
      { id: IDS.megan, displayName: 'Megan Bowen', mail: 'megan@contoso.local', userPrincipalName: 'megan@contoso.local', userType: 'Member' },
      { id: IDS.alex, displayName: 'Alex Wilber', mail: 'alex@contoso.local', userPrincipalName: 'alex@contoso.local', userType: 'Member' },
      { id: IDS.guestA, displayName: 'Guest A', mail: 'a@fabrikam.test', userPrincipalName: 'a_fabrikam.test#EXT#@contoso.local', userType: 'Guest' },
      { id: IDS.guestB, displayName: 'Guest B', mail: 'b@fabrikam.test', userPrincipalName: 'b_fabrikam.test#EXT#@contoso.local', userType: 'Guest' },
    ],
    groups: [
      { id: IDS.sales, displayName: 'Sales Team', members: [IDS.adele, IDS.megan, IDS.guestA, IDS.guestB], owners: [IDS.megan, IDS.alex], isMicrosoft365: true },
      { id: IDS.finance, displayName: 'Finance', members: [IDS.alex, IDS.guestA], owners: [] },
      { id: IDS.salesOps, displayName: 'Sales Ops', members: [IDS.megan], owners: [IDS.megan], isDynamic: true },
    ],
  }, now);
}
