/** A fake kernel for the specs: the one boundary jest cannot reach. Not used by the extension. */
import type { CommKernel } from './kernelPager';

type Reply = Record<string, unknown> | null | ((data: any) => any);

/**
 * A kernel whose comms answer each open with `reply(data)` (one comm_msg, then comm_close),
 * like mlworkbench/magics/comm.py; `null` closes without answering (target not registered);
 * `'silent'` never answers.
 */
export function fakeKernel(reply: Reply | 'silent', doneError?: Error) {
  const opened: { target: string; data: any }[] = [];
  const comms: any[] = [];
  const kernel = {
    createComm: (target: string) => {
      const comm: any = {
        commId: `c${opened.length}`,
        targetName: target,
        isDisposed: false,
        onMsg: () => undefined,
        onClose: () => undefined,
        dispose: () => {
          comm.isDisposed = true;
        },
        open: (data: any) => {
          opened.push({ target, data });
          setTimeout(() => {
            if (reply === 'silent') {
              return;
            }
            const answer = typeof reply === 'function' ? reply(data) : reply;
            if (answer !== null) {
              comm.onMsg({ content: { comm_id: comm.commId, data: answer } });
            }
            comm.onClose({ content: { comm_id: comm.commId, data: {} } });
          }, 0);
          return {
            done: doneError ? Promise.reject(doneError) : Promise.resolve()
          };
        }
      };
      comms.push(comm);
      return comm;
    }
  };
  return { kernel: kernel as unknown as CommKernel, opened, comms };
}
