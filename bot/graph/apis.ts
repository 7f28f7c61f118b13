import type { AccessReviewScheduleDefinition } from '@microsoft/microsoft-graph-types';
import type { DefinitionBody } from '../../reviews/definition';
import type { GroupRef, UserRef } from '../../reviews/settings';

/**
 * The Graph calls the bot makes, as interfaces: what the rest of the bot sees instead of the SDK's Client.
 * Answers come back parsed (see answers.ts); a malformed one is AppError('GraphUnavailable'). Built by
 * GraphSeam for a user (their token) or for the app (scheduled work only); tests use in-memory fakes.
 */

/** An access review definition as Graph returns it, checked: it has an id; status strings Graph adds are kept. */
export type ReviewDefinition = AccessReviewScheduleDefinition & { id: string };

/** `active`: not yet finished; `completed`: finished; `all` (the whole status vocabulary: reviews/status.ts). */
export type DefinitionFilter = 'active' | 'completed' | 'all';

export interface DefinitionPage {
  definitions: ReviewDefinition[];
  /**
   * Set when more definitions (of this filter) may follow: an opaque Graph link to read on from. For `active` and
   * `completed`, which are filtered over the pages read, reading on from it may repeat definitions already returned.
   */
  nextLink: string | undefined;
}

/** The scope of a definition being created, as far as finding it again needs it (its query and type). */
export interface LookupScope {
  '@odata.type'?: string;
  query?: string | null;
}

/** A group as the creation flow needs it: the domain's GroupRef with every flag known. */
export type GroupInfo = Required<GroupRef>;

/** A user as the creation flow names them: the domain's UserRef. */
export type UserInfo = UserRef;

/** Users found by address, and the addresses no user has. */
export interface UsersByEmail {
  users: UserInfo[];
  missing: string[];
}

export interface AccessReviewsApi {
  /** One page of definitions (Graph's page size is at most 100). */
  listDefinitions(filter: DefinitionFilter, top?: number, groupId?: string): Promise<DefinitionPage>;
  /**
   * Definitions named exactly `name` among those with this `scope` (to find a create whose answer was lost), read with
   * documented query options only: the scope's `contains` filter where Graph has one, every page followed.
   */
  findDefinitionsByName(name: string, scope?: LookupScope): Promise<ReviewDefinition[]>;
  /** POST a definition (201 → the created definition). Not retried on 5xx: see creation/safeCreate. */
  createDefinition(body: DefinitionBody): Promise<ReviewDefinition>;
  /** One definition by id (404 → AppError NotFound). */
  getDefinition(id: string): Promise<ReviewDefinition>;
  /**
   * Every definition the user can read, page after page (to resolve a typed `<review>` by name), at most `maxPages`
   * pages of 100; `complete` is false when more were left unread.
   */
  allDefinitions(maxPages?: number): Promise<{ definitions: ReviewDefinition[]; complete: boolean }>;
}

export interface DirectoryApi {
  /** The signed-in user (a cheap call that proves the token works). */
  me(): Promise<UserInfo>;
  /** Display names of groups by lower-case id (one request, at most 15 ids; unknown ids are left out). */
  groupNames(ids: readonly string[]): Promise<Map<string, string>>;
  /** Groups whose display name starts with `text` (an exact match first), at most `top`. */
  searchGroups(text: string, top?: number): Promise<GroupInfo[]>;
  getGroup(id: string): Promise<GroupInfo>;
  /** Users in a group (transitively): all, or guests only. A `$count`, never the member list. */
  countGroupUsers(groupId: string, guestsOnly: boolean): Promise<number>;
  countGroupOwners(groupId: string): Promise<number>;
  /** Whether `userId` is among the group's users (one count request, no paging). */
  isInGroup(groupId: string, userId: string): Promise<boolean>;
  /** Guest accounts of the directory (the upper bound of an all-groups guest review). */
  countGuests(): Promise<number>;
  /** Users by email address or user principal name (at most 15), and the addresses no user has. */
  findUsersByEmail(emails: readonly string[]): Promise<UsersByEmail>;
}

/** Graph as one identity sees it. */
export interface GraphApis {
  reviews: AccessReviewsApi;
  directory: DirectoryApi;
}
