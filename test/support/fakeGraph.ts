import type {
  AccessReviewsApi, DefinitionFilter, DefinitionPage, DirectoryApi, GraphApis, GroupInfo, ReviewDefinition, UserInfo, UsersByEmail,
} from '../../bot/graph/apis';
import { AppError } from '../../bot/errors';
import type { DefinitionBody } from '../../reviews/definition';
import { inReviewsList } from '../../reviews/status';

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

export type FakeMethod = keyof AccessReviewsApi | keyof DirectoryApi;

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
  /** How many times `forApp()` was asked for (scheduled work only). */
  appViews = 0;
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
  };
  const directory: DirectoryApi = {
    me: () => call('me', [], () => userInfo(tenant.user(as))),
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
    findUsersByEmail: (emails) => call('findUsersByEmail', [emails], (): UsersByEmail => {
      const wanted = [...new Set(emails.map((e) => e.toLowerCase()))].slice(0, 15);
      const addresses = (u: FakeUser): string[] => [u.mail, u.userPrincipalName].filter((v): v is string => v !== undefined).map((v) => v.toLowerCase());
      const found = tenant.users.filter((u) => addresses(u).some((a) => wanted.includes(a)));
      return { users: found.map(userInfo), missing: wanted.filter((email) => !found.some((u) => addresses(u).includes(email))) };
    }),
  };
  return { reviews, directory };
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
