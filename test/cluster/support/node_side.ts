/**
 * The node process's side of the line protocol that node_process.ts drives: events and answers
 * are JSON lines on stdout, requests JSON lines on stdin. Shared by the test fixture and the
 * cluster demo's nodes.
 */
import { createInterface } from 'node:readline';

/** Writes one event or answer as a JSON line on stdout. */
export function emit(record: object): void {
  globalThis.process.stdout.write(`${JSON.stringify(record)}\n`);
}

/**
 * Answers each request line `{ id, op, ... }` with `{ id, ok }` or `{ id, error }` (its name,
 * message and any `reason`), and exits once stdin closes.
 */
export function serveRequests(handle: (req: { op: string; [k: string]: unknown }) => Promise<unknown>): void {
  const lines = createInterface({ input: globalThis.process.stdin });
  lines.on('line', (line) => {
    const req = JSON.parse(line) as { id: number; op: string };
    handle(req).then(
      (ok) => emit({ id: req.id, ok }),
      (error: unknown) => emit({ id: req.id, error: error instanceof Error ? { name: error.name, message: error.message, reason: (error as { reason?: unknown }).reason } : String(error) }),
    );
  });
  lines.on('close', () => globalThis.process.exit(0));
}
