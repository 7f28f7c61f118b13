/**
 * ReviewSettings: every choice of the creation wizard and of quick create, in the product's own words.
 * Pure data (JSON-serialisable: it is kept in dialog state across restarts); `toDefinition` turns it into
 * Graph's accessReviewScheduleDefinition body, `validateSettings` gives a reason per field.
 */

/** A directory object the settings refer to, with what is shown to the user. */
export interface GroupRef {
  id: string;
  displayName: string;
  /** Dynamic membership (membershipRule): auto-apply cannot change it. */
  isDynamic?: boolean;
  /** Role-assignable groups are left out of all-groups reviews and cannot be auto-applied either. */
  isAssignableToRole?: boolean;
  /** A Microsoft 365 group (groupTypes contains Unified). */
  isMicrosoft365?: boolean;
}

export interface UserRef {
  id: string;
  displayName: string;
  userPrincipalName?: string;
}

/** What is reviewed (wizard step 1 + 2). */
export type ReviewScope =
  | { kind: 'members'; group: GroupRef }
  | { kind: 'guests'; group: GroupRef }
  | { kind: 'inactive'; group: GroupRef; inactiveDays: number }
  | { kind: 'allGroupsGuests' };

/** Who reviews (wizard step 3). Owners and managers need a fallback (default: the requester). */
export type ReviewerChoice =
  | { kind: 'owners' }
  | { kind: 'managers' }
  | { kind: 'users'; users: UserRef[] }
  | { kind: 'self' };

export type Frequency = 'once' | 'weekly' | 'monthly' | 'quarterly' | 'semiannually' | 'annually';

export type RecurrenceEnd =
  | { kind: 'never' }
  | { kind: 'date'; date: string }
  | { kind: 'count'; count: number };

/** When (wizard step 4). Dates are `YYYY-MM-DD`. */
export interface ReviewSchedule {
  frequency: Frequency;
  startDate: string;
  durationDays: number;
  /** Ignored for one-time reviews. */
  end: RecurrenceEnd;
}

/** What happens to items nobody reviewed. */
export type DefaultDecision = 'none' | 'approve' | 'deny' | 'recommendation';

/** What happens to denied guests when results are applied. */
export type DeniedGuestAction = 'remove' | 'blockThenDelete';

/** The settings form (wizard step 5). */
export interface ReviewOptions {
  justificationRequired: boolean;
  showRecommendations: boolean;
  defaultDecision: DefaultDecision;
  autoApply: boolean;
  deniedGuests: DeniedGuestAction;
  mailNotifications: boolean;
  reminders: boolean;
}

export interface ReviewSettings {
  scope: ReviewScope;
  reviewers: ReviewerChoice;
  /** Who reviews when owners/managers resolve to nobody. Required for owners and managers. */
  fallbackReviewers: UserRef[];
  schedule: ReviewSchedule;
  options: ReviewOptions;
  /**
   * Generated from the choices, editable. A text equal to the one generated for these choices counts as generated: it
   * follows later changes of the group, scope, frequency or inactivity; any other text is the requester's own and is kept.
   */
  name: string;
  descriptionForReviewers: string;
  descriptionForAdmins: string;
  /**
   * Groups this draft reviewed before a change (display names), never the one it reviews now: a text of the
   * requester's own that still names one is flagged on the confirmation card. Absent when there are none.
   */
  formerGroupNames?: string[];
}

/** The settings form's defaults (product spec, step 5). */
export const DEFAULT_OPTIONS: ReviewOptions = {
  justificationRequired: true,
  showRecommendations: true,
  defaultDecision: 'none',
  autoApply: false,
  deniedGuests: 'remove',
  mailNotifications: true,
  reminders: true,
};

/** Default duration of one review run, in days. */
export const DEFAULT_DURATION_DAYS = 14;

/** Inactive-user reviews accept 1..730 days. */
export const INACTIVE_DAYS = { min: 1, max: 730 } as const;

/** Field names validation refers to (and the wizard step that changes each). */
export type SettingsField =
  | 'scope' | 'group' | 'inactiveDays' | 'reviewers' | 'fallbackReviewers' | 'frequency' | 'startDate' | 'durationDays'
  | 'end' | 'options' | 'name' | 'descriptionForReviewers';

/** One thing wrong with the settings: which field, and why, in plain words. */
export interface SettingsProblem {
  field: SettingsField;
  reason: string;
}
