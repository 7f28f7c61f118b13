import type { CommandDefinition } from './command';

/**
 * Commands of the product spec this version does not do yet: the parser knows them and they answer that they
 * are not available yet; help and the command menu leave them out. Implementing one moves it into its own module.
 * (None at the moment.)
 */
export const PLANNED: readonly CommandDefinition[] = [];
