/** An error answered with Microsoft Graph's error envelope. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'BadRequest'): GraphError => new GraphError(400, code, message);
export const notFound = (message: string): GraphError => new GraphError(404, 'ResourceNotFound', message);
export const forbidden = (message: string, code = 'Authorization_RequestDenied'): GraphError =>
  new GraphError(403, code, message);

/** Graph's error body: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function errorEnvelope(error: GraphError, requestId: string, clientRequestId: string | undefined, now: Date): object {
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        date: now.toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': clientRequestId ?? requestId,
      },
    },
  };
}
