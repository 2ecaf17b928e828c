/**
 * Agent: a process that holds a state, read and changed by functions sent to it (Elixir's Agent).
 *
 * Imported as a namespace: `import { Agent } from 'ts-otp'`, then `Agent.start`, `Agent.get`,
 * `Agent.update`, `Agent.AgentPid<S>`.
 *
 * @module
 */
export { cast, childSpec, get, getAndUpdate, named, start, startLink, stop, update } from './agent.js';
export type { AgentFunction, AgentPid, AgentProtocol, AgentRef, AgentStartResult, ChildSpecOptions, FunctionSpec } from './agent.js';
