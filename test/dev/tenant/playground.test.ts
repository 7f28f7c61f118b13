import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BOT_APP_ID, DEMO_TENANT, GROUP, TENANT_ID, USER } from '../../../dev/tenant/tenant';

interface PlaygroundUser { id: string; name: string; userPrincipleName: string; aadObjectId: string; email: string }
interface PlaygroundConfig {
  tenantId: string;
  bot: { id: string };
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  team: { id: string; name: string; aadGroupId: string; channels: Array<{ id: string; name: string }> };
}

/** The Playground's mock Teams context must be the demo tenant: same ids, same people, same team. */
const config = parse(readFileSync(join(__dirname, '..', '..', '..', '.m365agentsplayground.yml'), 'utf8')) as PlaygroundConfig;

test('tenant, bot and current user (Adele) match the demo tenant', () => {
  expect(config.tenantId).toBe(TENANT_ID);
  expect(config.bot.id).toBe(BOT_APP_ID);
  expect(config.currentUser.aadObjectId).toBe(USER.adele);
});

test('every Playground user is a demo user with the same name and sign-in name', () => {
  for (const user of [config.currentUser, ...config.users]) {
    const demo = DEMO_TENANT.users.find((u) => u.id === user.aadObjectId);
    expect(demo).toBeDefined();
    expect(user.name).toBe(demo?.displayName);
    expect(user.userPrincipleName).toBe(demo?.userPrincipalName);
    expect(user.email).toBe(demo?.mail);
  }
  expect(new Set(config.users.map((u) => u.id)).size).toBe(config.users.length);
  // The Playground refuses a configuration with more than 5 users besides the current one.
  expect(config.users.length).toBeLessThanOrEqual(5);
});

test('the team is Sales Team with its General channel (the Playground accepts one channel only)', () => {
  expect(config.team.aadGroupId).toBe(GROUP.salesTeam);
  expect(config.team.name).toBe('Sales Team');
  expect(config.team.channels.map((c) => c.name)).toEqual(['General']);
});
