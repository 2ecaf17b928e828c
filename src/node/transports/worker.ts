/**
 * The worker-thread transport: where a worker node's thread starts, and how it loads.
 *
 * A worker node is a Runtime started as a node in a new thread and connected to its parent over
 * a MessagePort passed at creation ({@link portLink}). Built code (`dist/`) starts
 * `worker_main.js` directly; from TypeScript sources (tests, `tsx`), the thread first registers
 * tsx's loader, so the worker runs the same sources as its parent.
 *
 * Not part of the public API.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The thread's entry: a URL (or, for sources, a script to evaluate) and the data it needs. */
export function workerEntry(): { url: URL | string; eval: boolean; data: Record<string, string> } {
  const main = new URL(import.meta.url.endsWith('.ts') ? './worker_main.ts' : './worker_main.js', import.meta.url);
  if (!main.pathname.endsWith('.ts')) return { url: main, eval: false, data: {} };
  // tsx's ESM API (its CommonJS build cannot register the loader from an eval'd worker script).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `const { workerData } = require('node:worker_threads');
import(workerData.tsx)
  .then((api) => { api.register(); return import(workerData.main); })
  .catch((e) => { console.error(e); process.exit(1); });`;
  return { url: boot, eval: true, data: { tsx, main: main.href } };
}
