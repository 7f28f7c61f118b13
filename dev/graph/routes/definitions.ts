import { DEFINITION_PROPERTIES, definitionJson, INSTANCE_PROPERTIES, instanceJson } from '../reviewJson';
import { route, type Route } from '../router';
import { actorOf, readableDefinition, requireListAccess, requireReviewWrite, requireSignedIn, writableDefinition } from './access';
import { context, entityResult, listResult, noContent } from './common';
import { DEFINITION_RULES, INSTANCE_RULES, reviewListQuery } from './reviewQuery';

const P = '/identityGovernance/accessReviews/definitions';
const BY_REVIEWER = "filterByCurrentUser(on='reviewer')";
const DEFINITION = { type: 'microsoft.graph.accessReviewScheduleDefinition', known: DEFINITION_PROPERTIES };
const INSTANCE = { type: 'microsoft.graph.accessReviewInstance', known: INSTANCE_PROPERTIES };

/** Items of a function's result carry their type (accessreviewscheduledefinition-filterbycurrentuser, accessreviewinstance-filterbycurrentuser). */
const typed = (type: string, json: Record<string, unknown>): Record<string, unknown> => ({ '@odata.type': `#${type}`, ...json });

/**
 * Definitions: list, create, get, PUT (full object, 204), delete; instances of a definition; the reviewer views.
 * Envelopes as Microsoft's examples write them: `@odata.context` with the key segments, `@odata.count` on every list.
 */
export const definitionRoutes: Route[] = [
  route('GET', P, (request, emulator) => {
    requireListAccess(request);
    const options = reviewListQuery(request.query, DEFINITION_RULES);
    const page = emulator.reviews.definitions(options.where, options);
    return listResult(request, emulator, page, { context: 'identityGovernance/accessReviews/definitions', render: definitionJson, select: options.select, ...DEFINITION });
  }),
  route('POST', P, (request, emulator) => {
    requireReviewWrite(request);
    const row = emulator.service.create(request.body, actorOf(request.caller, emulator), request.now);
    return {
      status: 201,
      headers: { location: `${emulator.baseUrl}/v1.0${P}/${row.id}` },
      body: { '@odata.context': context(emulator, 'identityGovernance/accessReviews/definitions/$entity'), ...definitionJson(row) },
    };
  }),
  route('GET', `${P}/${BY_REVIEWER}`, (request, emulator) => {
    const userId = requireSignedIn(request, 'filterByCurrentUser');
    const options = reviewListQuery(request.query, DEFINITION_RULES);
    const page = emulator.reviews.definitionsReviewedBy(userId, options.where, options);
    return listResult(request, emulator, page, {
      context: 'Collection(accessReviewScheduleDefinition)', render: (row) => typed(DEFINITION.type, definitionJson(row)), select: options.select, ...DEFINITION,
    });
  }),
  route('GET', `${P}/{definitionId}`, (request, emulator) => {
    const definition = readableDefinition(request, emulator);
    return entityResult(request, emulator, definitionJson(definition), { context: 'identityGovernance/accessReviews/definitions/$entity', ...DEFINITION });
  }),
  route('PUT', `${P}/{definitionId}`, (request, emulator) => {
    emulator.service.update(writableDefinition(request, emulator), request.body, request.now);
    return noContent;
  }),
  route('DELETE', `${P}/{definitionId}`, (request, emulator) => {
    emulator.service.remove(writableDefinition(request, emulator));
    return noContent;
  }),
  route('GET', `${P}/{definitionId}/instances`, (request, emulator) => {
    const definition = readableDefinition(request, emulator);
    requireListAccess(request, definition);
    const options = reviewListQuery(request.query, INSTANCE_RULES);
    const page = emulator.reviews.instances(definition.id, options.where, options);
    return listResult(request, emulator, page, { context: `identityGovernance/accessReviews/definitions('${definition.id}')/instances`, render: instanceJson, select: options.select, ...INSTANCE });
  }),
  route('GET', `${P}/{definitionId}/instances/${BY_REVIEWER}`, (request, emulator) => {
    const userId = requireSignedIn(request, 'filterByCurrentUser');
    const definition = readableDefinition(request, emulator);
    const options = reviewListQuery(request.query, INSTANCE_RULES);
    const page = emulator.reviews.instancesReviewedBy(definition.id, userId, options.where, options);
    return listResult(request, emulator, page, {
      context: 'Collection(accessReviewInstance)', render: (row) => typed(INSTANCE.type, instanceJson(row)), select: options.select, ...INSTANCE,
    });
  }),
];
