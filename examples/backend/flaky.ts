/**
 * A deliberately flaky worker: it crashes a while after each start, so its crash reports and
 * its supervisor's restarts show up in the logs.
 */
import { GenServer, Next, TIMEOUT } from '../../src/index.js';

export interface FlakyProtocol {
  arg: { readonly crashAfterMs: number };
  state: { readonly started: number };
}

export const flaky: GenServer.Behaviour<FlakyProtocol> = {
  init: ({ crashAfterMs }) => Next.ok({ started: Date.now() }, { timeout: crashAfterMs }),
  handleInfo: (msg, state) => {
    if (msg === TIMEOUT) throw new Error('the flaky worker flaked, as it does');
    return Next.noreply(state);
  },
};
