// A redis-server of a test's own, without persistence, which the test may
// flush, kill and start again on the same port (never the shared one).
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts redis-server on `port` without persistence (so that a restart
 * starts empty); resolves once it answers, within `timeoutMs`.
 */
export async function startRedis(
  port: number,
  timeoutMs = 10_000,
): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no'],
    // A process group of its own: no signal meant for the test's group
    // (a terminal's, a job runner's) stops it behind the test's back.
    { stdio: 'ignore', detached: true },
  );
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${String(port)} did not answer`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

/** Kills a redis-server {@link startRedis} started, and waits for it to exit. */
export async function killRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
