import { COMMANDS, helpGroups, suggesting } from '../commands';
import type { CommandDeps, SignOut } from '../commands/command';
import { systemClock, type Clock } from '../clock';
import type { Feature } from './feature';
import { notYetFeature } from './notYet';
import type { AdminActionStore } from './reviewAdmin';
import type { ExportService } from '../exports/exportService';
import type { EditDeps } from './edit';
import type { DigestCommandDeps } from './digestSubscriptions';
import type { ReviewingDeps } from './decide';

/** The feature of every command that is one answer (not a dialog), by command name. Wired once in app.ts. */
export type FeatureRegistry = ReadonlyMap<string, Feature>;

/** What the features are built with besides sign-out; absent parts are not wired (catalogue tests). */
export interface FeatureWiring {
  clock?: Clock;
  adminActions?: AdminActionStore;
  exports?: ExportService;
  edit?: EditDeps;
  digests?: DigestCommandDeps;
  reviewing?: ReviewingDeps;
}

/** Built from the catalogue: each command's own feature, or "not available yet" for a planned command. */
export function createFeatures(signOut: SignOut, wiring: FeatureWiring = {}): FeatureRegistry {
  const { clock = systemClock, ...optional } = wiring;
  const deps: CommandDeps = { signOut, helpGroups, suggesting, clock, ...optional };
  const features = new Map<string, Feature>();
  for (const command of COMMANDS) {
    if (command.run?.kind === 'feature') features.set(command.name, command.run.feature(deps));
    else if (command.run === undefined) features.set(command.name, notYetFeature(command.phrases[0] ?? command.name));
  }
  return features;
}
