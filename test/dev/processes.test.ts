import { startChild, waitForLine } from '../../dev/processes';

/**
 * `npm start` waits for the bot's "listening" line, then must keep reading its output: a child that logs
 * synchronously to a pipe nobody reads blocks once the pipe is full (64 KB on Linux).
 */
test('after waitForLine the child\'s output keeps flowing (a chatty child never blocks on a full pipe)', async () => {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  let child: ReturnType<typeof startChild> | undefined;
  try {
    const script = "const fs = require('fs'); fs.writeSync(1, 'ready\\n'); const line = 'x'.repeat(1023) + '\\n';" +
      "for (let i = 0; i < 512; i += 1) fs.writeSync(1, line); fs.writeSync(1, 'done\\n');";
    let sawDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      sawDone = resolve;
    });
    child = startChild('chatty', process.execPath, ['-e', script], process.env, (line) => {
      if (line === 'done') sawDone();
    });
    await waitForLine(child, (line) => line === 'ready', 10_000);
    await done;
    expect(await child.exited).toBe(0);
  } finally {
    // A blocked child (the bug) would keep jest from exiting.
    if (child?.process.exitCode === null) child.process.kill();
    write.mockRestore();
  }
});
