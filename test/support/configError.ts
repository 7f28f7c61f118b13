import { loadConfig } from '../../bot/config';
import { isAppError, type AppError } from '../../bot/errors';

/** An environment as loadConfig reads it. */
export type Env = Record<string, string | undefined>;

/** The AppError loadConfig throws for this environment (fails the test if it does not throw one). */
export function configError(env: Env): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}
