import { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';

/** A database server this process started, and how to stop it. */
export interface EmbeddedServer {
  readonly name: 'PostgreSQL' | 'Redis';
  readonly pid: number;
  readonly url: string;
  /** Where it listens, for the line that says it was started. */
  readonly address: string;
  stop(): Promise<void>;
  /** For the process's 'exit' event, which cannot wait: asks it to stop and returns. */
  signalStop(): void;
}

export class EmbeddedServerError extends Error {}

/** A TCP port nothing listens on right now, on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts a TCP connection at host:port within the timeout. */
export function answers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/** Opens a log file for a server's output, so that the server never writes into our pipes. */
export function openLog(path: string): number {
  return openSync(path, 'a', 0o600);
}

export function closeLog(fd: number): void {
  closeSync(fd);
}

/** The last meaningful line of a server's log, for the one line that says why it failed. */
export function lastLogLine(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    return lines[lines.length - 1] ?? '';
  } catch {
    return '';
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (PostgreSQL runs as nobody under root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Waits until the child is up (probe true) or gone. Returns false when it exited first, so the
 * caller can say why from its log.
 */
export async function waitUntilReady(
  child: ChildProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      return false;
    }
    if (await probe()) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * Sends the server the signal that makes it shut down cleanly and waits for it to be gone;
 * after the grace period it is killed, so that stopping never hangs the service's exit.
 */
export function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals,
  graceMs = 20000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
