import { REVIEW_SUMMARY } from '../../cards/verbs';
import { summaryFeature } from '../features/summary';
import type { CommandDefinition } from './command';

export const summary: CommandDefinition = {
  name: 'summary',
  phrases: ['summary'],
  usage: 'summary <review> | all',
  help: { group: 'Read', text: 'progress and decision counts, or a digest of all active reviews',
    inScope: { channel: "progress and decision counts of one of this team's reviews, or a digest of them" } },
  // Like `show`: a group chat has no group of its own, so nothing to summarise there; a channel gets its team's reviews.
  scopes: ['personal', 'channel'],
  signIn: 'user',
  run: { kind: 'feature', feature: (deps) => summaryFeature(deps.clock, deps) },
  verbs: [REVIEW_SUMMARY],
};
