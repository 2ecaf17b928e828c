/**
 * `ts-otp/observer`: a live web page on a running system, as Erlang's observer shows one: the
 * supervision trees, a process table, a page per process with its state and a trace of its
 * messages, a timeline of crashes and restarts, kill and restart buttons, and the tree as Mermaid.
 *
 * Imported from its own entry, as a namespace: `import { Observer } from 'ts-otp/observer'`.
 * Nothing in `ts-otp` imports it, so a program that does not mount it pays nothing for it.
 *
 * @module
 */
export * as Observer from './namespace.js';
