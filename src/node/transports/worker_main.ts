/**
 * A worker node's thread: a Runtime started as a node and connected to its parent over the port
 * it was given. When that connection ends the thread ends too: its processes are killed, its
 * node stopped, and nothing is left to keep the thread alive.
 *
 * Not part of the public API.
 *
 * @module
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { Runtime } from '../../process/index.js';
import { attach, monitorNodes, start, stop } from '../node.js';
import { portLink } from './message_port.js';
// Every node answers global name rounds, a worker's too.
import '../../global/internal/server.js';

const data = workerData as { name: string; tickMs: number; port: MessagePort };
const rt = new Runtime();
start(rt, { name: data.name, tickMs: data.tickMs });

rt.spawn(async (ctx) => {
  monitorNodes(ctx);
  const parent = await attach(rt, portLink(data.port)).catch(() => undefined);
  if (parent !== undefined) await ctx.receive((m) => (m as { type?: string; node?: string }).type === 'nodedown' && (m as { node: string }).node === parent);
  await stop(rt);
  rt.killAll();
});
