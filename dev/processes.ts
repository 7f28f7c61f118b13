import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

/** A child process of the launcher: the bot or the Playground. */
export interface Child {
  name: string;
  process: ChildProcess;
  /** Resolves when it exits (for any reason). */
  exited: Promise<number | null>;
}

/** Starts `command` with `args`, copying its output through and calling `onLine` for each stdout line. */
export function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Child {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    process.stdout.write(`[${name}] ${line}\n`);
    onLine?.(line);
  });
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => process.stderr.write(`[${name}] ${line}\n`));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, process: child, exited };
}

/** Resolves when `predicate` accepts a line the child prints; rejects if it exits first or `ms` pass. */
export function waitForLine(child: Child, predicate: (line: string) => boolean, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.process.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => reject(new Error(`${child.name} was not ready within ${ms / 1000} s`)), ms);
    const onLine = (line: string): void => {
      if (!predicate(line)) return;
      clearTimeout(timer);
      // Only stop listening: closing the interface would pause the child's stdout, and once the pipe is full a
      // child that logs synchronously (pino to fd 1) blocks for good.
      lines.off('line', onLine);
      resolve(line);
    };
    lines.on('line', onLine);
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited with code ${String(code)} before it was ready`));
    });
  });
}

/** Resolves when something accepts TCP connections on the port (the Playground prints nothing parseable). */
export async function waitForPort(port: number, host: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** SIGTERM to every child still running, then wait for all of them. */
export async function stopChildren(children: Child[]): Promise<void> {
  for (const child of children) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM');
  }
  await Promise.all(children.map((child) => child.exited));
}
