import { GraphError } from '../../dev/graph/errors';

/** Runs `fn`, expects the emulator's Graph 400 and returns it (for its message). */
export function graph400(fn: () => unknown): GraphError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GraphError);
  expect((caught as GraphError).status).toBe(400);
  return caught as GraphError;
}
