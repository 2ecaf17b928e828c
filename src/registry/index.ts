/**
 * Registry: a local key-value store of processes with unique or duplicate keys, Elixir's `Registry`.
 *
 * Imported as a namespace: `import { Registry } from 'ts-otp'`, then `Registry.start`,
 * `Registry.register`, `Registry.via`.
 *
 * @module
 */
export {
  childSpec,
  count,
  countMatch,
  deleteMeta,
  dispatch,
  keys,
  lookup,
  match,
  meta,
  named,
  putMeta,
  register,
  start,
  startLink,
  unregister,
  unregisterMatch,
  updateValue,
  values,
  via,
  type RegisterResult,
  type RegistryEntry,
  type RegistryEvent,
  type RegistryKey,
  type RegistryKeys,
  type RegistryName,
  type RegistryOptions,
  type RegistryPid,
  type RegistryRef,
  type RegistryStartResult,
  type RegistryViaName,
} from './registry.js';
