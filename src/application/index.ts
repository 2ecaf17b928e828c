/**
 * Application: a Node backend's supervision tree with its env, dependencies and start/stop order,
 * and `main` for graceful shutdown of the Node process. Imported as a namespace:
 * `import { Application } from 'ts-otp'`.
 *
 * @module
 */
export {
  ensureAllStarted,
  envVarName,
  getAllEnv,
  getEnv,
  isLoaded,
  load,
  onHalt,
  putEnv,
  start,
  stop,
  stopAll,
  unsetEnv,
  whichApplications,
  type EnvKey,
  type EnvValue,
  type LoadOptions,
  type RuntimeOption,
  type StartOptions,
} from './application.js';
export { main, type MainHandle, type MainHost, type MainOptions } from './main.js';
export type { AppResult, AppStartResult, ApplicationError, ApplicationSpec, Env, RunningApplication, StartType } from './types.js';
