import { forbidden } from '../errors';
import { DECISION_PROPERTIES, decisionFields, decisionJson, decisionProperties, INSTANCE_PROPERTIES, instanceJson } from '../reviewJson';
import { route, type Route, type RouteResult } from '../router';
import type { DefinitionRow, InstanceRow } from '../store/reviewStore';
import { actorOf, readableInstance, readsAll, requireListAccess, requireSignedIn, reviewedInstance, writableInstance } from './access';
import { context, entityResult, found, listOptions, listResult, noContent } from './common';
import { DECISION_RULES, reviewListQuery } from './reviewQuery';

const I = '/identityGovernance/accessReviews/definitions/{definitionId}/instances/{instanceId}';
const BY_REVIEWER = "filterByCurrentUser(on='reviewer')";
const DECISION = { type: 'microsoft.graph.accessReviewInstanceDecisionItem', known: DECISION_PROPERTIES };
const REVIEWER_PROPERTIES = ['id', 'displayName', 'userPrincipalName', 'createdDateTime'];

/** `@odata.context` fragments with the key segments, as the get/list examples write them. */
const INSTANCES = (definitionId: string): string => `identityGovernance/accessReviews/definitions('${definitionId}')/instances`;
const UNDER_INSTANCE = (instance: InstanceRow, what: string): string => `${INSTANCES(instance.definition_id)}('${instance.id}')/${what}`;
const instanceEntity = (definition: Pick<DefinitionRow, 'id'>): string => `${INSTANCES(definition.id)}/$entity`;

/** An instance, its reviewers, its decision items, and the actions on it. */
export const instanceRoutes: Route[] = [
  route('GET', I, (request, emulator) => {
    const { definition, instance } = readableInstance(request, emulator);
    return entityResult(request, emulator, instanceJson(instance), { context: instanceEntity(definition), type: 'microsoft.graph.accessReviewInstance', known: INSTANCE_PROPERTIES });
  }),
  route('PUT', I, (request, emulator) => {
    const updated = emulator.service.updateInstanceReviewers(writableInstance(request, emulator), request.body, request.now);
    return { status: 200, body: { '@odata.context': context(emulator, instanceEntity({ id: updated.definition_id })), ...instanceJson(updated) } };
  }),
  route('GET', `${I}/contactedReviewers`, (request, emulator) => {
    const { instance } = readableInstance(request, emulator);
    const options = listOptions(request, undefined, 'microsoft.graph.accessReviewReviewer');
    const page = emulator.decisions.contactedReviewers(instance.id, { ...options, withCount: true });
    return listResult(request, emulator, page, {
      context: UNDER_INSTANCE(instance, 'contactedReviewers'), select: options.select, type: 'microsoft.graph.accessReviewReviewer', known: REVIEWER_PROPERTIES,
      render: (row) => ({ id: row.id, displayName: row.display_name, userPrincipalName: row.upn, createdDateTime: row.contacted_at }),
    });
  }),
  route('GET', `${I}/decisions`, (request, emulator) => {
    const { definition, instance } = readableInstance(request, emulator);
    requireListAccess(request, definition);
    const options = reviewListQuery(request.query, DECISION_RULES);
    const properties = decisionProperties(options.select);
    const page = emulator.decisions.decisions(instance.id, options.where, options, undefined, decisionFields(properties));
    return listResult(request, emulator, page, {
      context: UNDER_INSTANCE(instance, 'decisions'), render: (row) => decisionJson(row, emulator.baseUrl, properties), select: options.select, ...DECISION,
    });
  }),
  route('GET', `${I}/decisions/${BY_REVIEWER}`, (request, emulator) => {
    const userId = requireSignedIn(request, 'filterByCurrentUser');
    const { instance } = readableInstance(request, emulator);
    const options = reviewListQuery(request.query, DECISION_RULES);
    const page = emulator.decisions.reviewerAccess(instance.id, userId) === 'none'
      ? { items: [], moreAfter: undefined, count: 0 } : emulator.decisions.decisions(instance.id, options.where, options, userId);
    return listResult(request, emulator, page, {
      context: 'Collection(accessReviewInstanceDecisionItem)', select: options.select, ...DECISION,
      render: (row) => ({ '@odata.type': `#${DECISION.type}`, ...decisionJson(row, emulator.baseUrl) }),
    });
  }),
  route('GET', `${I}/decisions/{decisionId}`, (request, emulator) => {
    const { instance } = readableInstance(request, emulator);
    const id = request.params.decisionId ?? '';
    const decision = found(emulator.decisions.decision(instance.id, id), 'accessReviewInstanceDecisionItem', id);
    const { caller } = request;
    const definition = emulator.reviews.definition(instance.definition_id);
    if (!readsAll(caller) && definition?.created_by !== (caller.kind === 'user' ? caller.user.id : undefined) &&
      !(caller.kind === 'user' && emulator.decisions.isItemReviewer(instance.id, id, caller.user.id))) {
      throw forbidden('Only readers of the review and the reviewers of this item can read it.');
    }
    return entityResult(request, emulator, decisionJson(decision, emulator.baseUrl), { context: `${UNDER_INSTANCE(instance, 'decisions')}/$entity`, ...DECISION });
  }),
  route('PATCH', `${I}/decisions/{decisionId}`, (request, emulator): RouteResult => {
    const { instance, reviewer } = reviewedInstance(request, emulator, 'Recording a decision');
    const id = request.params.decisionId ?? '';
    found(emulator.decisions.decision(instance.id, id), 'accessReviewInstanceDecisionItem', id);
    if (!emulator.decisions.isItemReviewer(instance.id, id, reviewer.id)) {
      throw forbidden('Recording a decision is only allowed for the reviewers of this item.');
    }
    emulator.service.recordDecision(instance, id, request.body, reviewer, request.now);
    return noContent;
  }),
  route('POST', `${I}/batchRecordDecisions`, (request, emulator) => {
    const { instance, reviewer } = reviewedInstance(request, emulator, 'Recording decisions');
    emulator.service.batchRecord(instance, request.body, reviewer, request.now);
    return noContent;
  }),
  route('POST', `${I}/acceptRecommendations`, (request, emulator) => {
    const { instance, reviewer } = reviewedInstance(request, emulator, 'Accepting recommendations');
    emulator.service.acceptRecommendations(instance, reviewer, request.now);
    return noContent;
  }),
  route('POST', `${I}/stop`, (request, emulator) => {
    emulator.service.stop(writableInstance(request, emulator), request.now);
    return noContent;
  }),
  route('POST', `${I}/sendReminder`, (request, emulator) => {
    emulator.service.remind(writableInstance(request, emulator));
    return noContent;
  }),
  route('POST', `${I}/applyDecisions`, (request, emulator) => {
    emulator.service.applyDecisions(writableInstance(request, emulator), actorOf(request.caller, emulator), request.now);
    return noContent;
  }),
  route('POST', `${I}/resetDecisions`, (request, emulator) => {
    emulator.service.reset(writableInstance(request, emulator));
    return noContent;
  }),
];
