/**
 * bench/child-role.ts: runs this benchmark's script again as a child process in another role (a
 * server, a crowd of clients), with --expose-gc, and asks it typed questions over IPC: `ask(type,
 * message)` sends the message and resolves with the child's next reply of that type (rejects if the
 * child exits first).
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Serializable } from 'node:child_process';

export interface ChildRole<In, Out extends { type: string }> {
  readonly proc: ChildProcess;
  readonly ask: <T extends Out['type']>(type: T, message?: In) => Promise<Extract<Out, { type: T }>>;
}

export function forkRole<In extends Serializable, Out extends { type: string }>(
  args: readonly string[],
): ChildRole<In, Out> {
  const proc = fork(process.argv[1] ?? '', [...args], { execArgv: [...process.execArgv, '--expose-gc'] });
  const ask = <T extends Out['type']>(type: T, message?: In) =>
    new Promise<Extract<Out, { type: T }>>((resolve, reject) => {
      const onMessage = (reply: Out) => {
        if (reply.type !== type) return;
        proc.off('message', onMessage);
        proc.off('exit', onExit);
        resolve(reply as Extract<Out, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`${args[0]} process exited (${code})`));
      proc.on('message', onMessage);
      proc.once('exit', onExit);
      if (message) proc.send(message);
    });
  return { proc, ask };
}
