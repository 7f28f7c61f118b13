import { rmSync } from 'node:fs';
import { loadDevConfig } from './devConfig';

/** `npm run reset-local`: forgets the local tenant's and the bot's state (next start seeds the demo tenant again). */
const { dataDir } = loadDevConfig();
rmSync(dataDir, { recursive: true, force: true });
process.stdout.write(`Removed ${dataDir}\n`);
