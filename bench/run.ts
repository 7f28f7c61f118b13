import { benchBot } from './bot';
import { benchCreateReview } from './createReview';
import { benchGraphEmulator } from './graphEmulator';
import { benchDigestScan } from './digestScan';
import { benchReviewReads } from './reviewReads';
import { benchReviewerSubmit } from './reviewerSubmit';

/** `npm run bench`: every benchmark in turn; each prints its own numbers (no pass/fail). */
async function main(): Promise<void> {
  process.stdout.write('== Graph emulator (local tenant)\n');
  await benchGraphEmulator();
  process.stdout.write('== Bot\n');
  await benchBot();
  process.stdout.write('== Creating reviews\n');
  await benchCreateReview();
  process.stdout.write('== Reading large reviews (decisions, export)\n');
  await benchReviewReads();
  process.stdout.write('== Counting the decisions of many reviews (digests)\n');
  await benchDigestScan();
  process.stdout.write('== Reviewers submitting decisions\n');
  await benchReviewerSubmit();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
