import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { AppError, isAppError } from '../../../bot/errors';
import { GraphSeam } from '../../../bot/graph/graphSeam';

/**
 * GraphSeam: forUser acts with that user's token, fetched for each call (so an expired sign-in surfaces as
 * SignInRequired on the call, before any request); forApp acts with the app's client-credentials token.
 */
interface Sent { token: string; path: string }

/** Tokens by user id ('app' for the app's); a user without one gets SignInRequired, as MsalTokenProvider does. */
class Tokens {
  readonly asked: string[] = [];
  constructor(private readonly byUser: Map<string, string>) {}
  userToken(userId: string): Promise<string> {
    this.asked.push(userId);
    const token = this.byUser.get(userId);
    return token ? Promise.resolve(token) : Promise.reject(new AppError('SignInRequired', 'Please sign in.'));
  }
  appToken(): Promise<string> {
    this.asked.push('app');
    return Promise.resolve('app-token');
  }
}

/** Clients whose only middleware records the token and path of each request and answers `{ id, value: [] }`. */
function recordingClients(): { sent: Sent[]; forToken(token: string): Client } {
  const sent: Sent[] = [];
  return {
    sent,
    forToken(token: string): Client {
      const middleware: Middleware = {
        execute: (context: Context): Promise<void> => {
          const url = new URL(typeof context.request === 'string' ? context.request : context.request.url);
          sent.push({ token, path: url.pathname });
          context.response = new Response(JSON.stringify({ id: 'me-id', displayName: 'Me', value: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
          return Promise.resolve();
        },
      };
      return Client.initWithMiddleware({ middleware, baseUrl: 'https://graph.example.test/', defaultVersion: 'v1.0' });
    },
  };
}

test("forUser: every call asks for that user's token and sends it", async () => {
  const tokens = new Tokens(new Map([['adele', 'adele-token'], ['alex', 'alex-token']]));
  const clients = recordingClients();
  const seam = new GraphSeam(tokens, clients);
  const adele = seam.forUser('adele');
  expect(tokens.asked).toEqual([]); // building the interfaces asks for nothing
  await adele.directory.me();
  await adele.reviews.listDefinitions('all', 11);
  await seam.forUser('alex').directory.searchGroups('Sales');
  expect(tokens.asked).toEqual(['adele', 'adele', 'alex']);
  expect(clients.sent).toEqual([
    { token: 'adele-token', path: '/v1.0/me' },
    { token: 'adele-token', path: '/v1.0/identityGovernance/accessReviews/definitions' },
    { token: 'alex-token', path: '/v1.0/groups' },
  ]);
});

test('forUser without a token: SignInRequired from the call, no request sent', async () => {
  const clients = recordingClients();
  const graph = new GraphSeam(new Tokens(new Map()), clients).forUser('megan');
  const error = await graph.directory.countGuests().then(() => undefined, (e: unknown) => e);
  expect(isAppError(error, 'SignInRequired')).toBe(true);
  expect(clients.sent).toEqual([]);
});

test("forApp: the app's own token, never a user's", async () => {
  const tokens = new Tokens(new Map([['adele', 'adele-token']]));
  const clients = recordingClients();
  await new GraphSeam(tokens, clients).forApp().reviews.listDefinitions('active');
  expect(tokens.asked).toEqual(['app']);
  expect(clients.sent).toEqual([{ token: 'app-token', path: '/v1.0/identityGovernance/accessReviews/definitions' }]);
});
