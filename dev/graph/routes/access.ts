import type { Caller } from '../auth';
import { forbidden } from '../errors';
import { delegatedOnly, hasRole, PERMISSIONS, requirePermission, REVIEW_READ_ROLES, REVIEW_WRITE_ROLES } from '../permissions';
import type { Emulator, GraphRequest } from '../router';
import type { Actor } from '../store/decisionStore';
import type { DefinitionRow, InstanceRow } from '../store/reviewStore';
import { found } from './common';

/**
 * Who may do what with access reviews of groups (reference section 1.6): the token's permission first,
 * then, for a signed-in user, a directory role, being the review's creator, or being one of its reviewers.
 */
const WRITE_ROLE_MESSAGE = 'Creating or changing access reviews needs the Identity Governance Administrator or User Administrator role.';
const READ_ROLE_MESSAGE = 'Reading access reviews needs the Identity Governance Administrator, User Administrator, Global Reader, ' +
  'Security Reader or Security Administrator role, or being the creator of the review.';

/** Every review is readable: an app with the read permission, or a user with a reading role. */
export function readsAll(caller: Caller): boolean {
  return caller.kind === 'app' || hasRole(caller, REVIEW_READ_ROLES);
}

const isCreator = (caller: Caller, definition: DefinitionRow): boolean =>
  caller.kind === 'user' && definition.created_by === caller.user.id;

export function actorOf(caller: Caller, emulator: Emulator): Actor {
  return caller.kind === 'user'
    ? { id: caller.user.id, displayName: caller.user.display_name, userPrincipalName: caller.user.upn }
    : { id: caller.appId, displayName: emulator.appName(caller.appId), userPrincipalName: '' };
}

export function requireReviewWrite(request: GraphRequest): void {
  requirePermission(request.caller, PERMISSIONS.reviewsWrite);
  if (request.caller.kind === 'user' && !hasRole(request.caller, REVIEW_WRITE_ROLES)) throw forbidden(WRITE_ROLE_MESSAGE);
}

/** Lists of definitions, instances or decisions: readers and creators only (reviewers use filterByCurrentUser). */
export function requireListAccess(request: GraphRequest, definition?: DefinitionRow): void {
  requirePermission(request.caller, PERMISSIONS.reviewsRead);
  if (readsAll(request.caller) || (definition !== undefined && isCreator(request.caller, definition))) return;
  throw forbidden(READ_ROLE_MESSAGE);
}

/** The definition `{definitionId}`, if the caller may see it (404 when absent). */
export function readableDefinition(request: GraphRequest, emulator: Emulator): DefinitionRow {
  requirePermission(request.caller, PERMISSIONS.reviewsRead);
  const id = request.params.definitionId ?? '';
  const definition = found(emulator.reviews.definition(id), 'accessReviewScheduleDefinition', id);
  const { caller } = request;
  if (readsAll(caller) || isCreator(caller, definition)) return definition;
  if (caller.kind === 'user' && emulator.reviews.isDefinitionReviewer(definition.id, caller.user.id)) return definition;
  throw forbidden(READ_ROLE_MESSAGE);
}

/** The definition `{definitionId}` for a write (role checked, 404 when absent). */
export function writableDefinition(request: GraphRequest, emulator: Emulator): DefinitionRow {
  requireReviewWrite(request);
  const id = request.params.definitionId ?? '';
  return found(emulator.reviews.definition(id), 'accessReviewScheduleDefinition', id);
}

function instanceOf(request: GraphRequest, emulator: Emulator, definition: DefinitionRow): InstanceRow {
  const id = request.params.instanceId ?? '';
  return found(emulator.reviews.instance(definition.id, id), 'accessReviewInstance', id);
}

/** An instance the caller may read: reader, creator, or one of the instance's reviewers. */
export function readableInstance(request: GraphRequest, emulator: Emulator): { definition: DefinitionRow; instance: InstanceRow } {
  const definition = readableDefinition(request, emulator);
  const instance = instanceOf(request, emulator, definition);
  const { caller } = request;
  if (readsAll(caller) || isCreator(caller, definition) ||
    (caller.kind === 'user' && emulator.decisions.reviewerAccess(instance.id, caller.user.id) !== 'none')) {
    return { definition, instance };
  }
  throw forbidden(READ_ROLE_MESSAGE);
}

/** An instance for an administrative action (stop, remind, apply, reset, change reviewers). */
export function writableInstance(request: GraphRequest, emulator: Emulator): InstanceRow {
  return instanceOf(request, emulator, writableDefinition(request, emulator));
}

/** An instance the signed-in caller reviews, for recording decisions (never with an app token). */
export function reviewedInstance(request: GraphRequest, emulator: Emulator, operation: string): { instance: InstanceRow; reviewer: Actor } {
  delegatedOnly(request.caller, operation);
  requirePermission(request.caller, PERMISSIONS.reviewsWrite);
  const definition = readableDefinition(request, emulator);
  const instance = instanceOf(request, emulator, definition);
  const reviewer = actorOf(request.caller, emulator);
  if (emulator.decisions.reviewerAccess(instance.id, reviewer.id) === 'none') {
    throw forbidden(`${operation} is only allowed for the reviewers of this access review.`);
  }
  return { instance, reviewer };
}

export const requireSignedIn = (request: GraphRequest, operation: string): string => {
  delegatedOnly(request.caller, operation);
  requirePermission(request.caller, PERMISSIONS.reviewsRead);
  return request.caller.kind === 'user' ? request.caller.user.id : '';
};
