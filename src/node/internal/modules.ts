/**
 * Code named by module path: what a node runs for a spawn (Node.spawn) and what an isolated
 * child serves (Supervisor.isolated). Functions cannot cross threads; module paths can.
 *
 * Not part of the public API.
 *
 * @module
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '../../errors.js';

/**
 * Checks `module` and `exportName` at the call, as `${prefix}.module` and `${prefix}.export`:
 * a relative path would be resolved against a module of ts-otp, not the caller's.
 */
export function checkModuleExport(operation: string, prefix: string, module: unknown, exportName: unknown): void {
  if (typeof module !== 'string' || module === '' || module.startsWith('.')) {
    throw new InvalidArgumentError(operation, `${prefix}.module`, module, 'an absolute path, a file: URL or a package name');
  }
  if (typeof exportName !== 'string' || exportName === '') throw new InvalidArgumentError(operation, `${prefix}.export`, exportName, 'an export name');
}

/**
 * The prefix of ts-otp's own modules that a node spawns on another (`'ts-otp:node/internal/rpc_entry'`):
 * each node resolves it against its own copy of ts-otp, which may live at another path, on
 * another host, or be built (`.js`) where this one runs from sources (`.ts`).
 */
export const OWN_MODULE = 'ts-otp:';
const OWN_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** Imports `module`: an absolute path, a `file:` URL, a package specifier, or one of ts-otp's own ({@link OWN_MODULE}). */
export function importModule(module: string): Promise<Record<string, unknown>> {
  if (module.startsWith(OWN_MODULE)) return import(new URL(`../../${module.slice(OWN_MODULE.length)}${OWN_EXTENSION}`, import.meta.url).href) as Promise<Record<string, unknown>>;
  return import(isAbsolute(module) ? pathToFileURL(module).href : module) as Promise<Record<string, unknown>>;
}

/** Why `module` did not load, as a NodeError's detail. */
export function notLoaded(module: string, error: unknown): string {
  return `${module}: ${error instanceof Error ? error.message : String(error)}`;
}

/** A function loaded by {@link loadFunction}, or why there is none (a NodeError's reason and detail). */
export type Loaded =
  | { readonly fn: (...args: unknown[]) => unknown }
  | { readonly reason: 'not_loaded' | 'not_a_function'; readonly detail: string };

/** Loads the export `exportName` of `module`, which must be a function. */
export async function loadFunction(module: string, exportName: string): Promise<Loaded> {
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(module);
  } catch (error) {
    return { reason: 'not_loaded', detail: notLoaded(module, error) };
  }
  const fn = mod[exportName];
  if (typeof fn !== 'function') return { reason: 'not_a_function', detail: `${module}#${exportName} is ${fn === undefined ? 'missing' : typeof fn}` };
  return { fn: fn as (...args: unknown[]) => unknown };
}
