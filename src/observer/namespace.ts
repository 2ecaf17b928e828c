/**
 * Observer: the live web page for a running runtime (see `ts-otp/observer`).
 *
 * @module
 */
export { handler, start, type ObserverHandler, type ObserverOptions, type RunningObserver, type StartOptions } from './observer.js';
export type { RootRef, ObservedNode, ObservedTree, ProcessPage, ProcessRow, SortKey, TimelineEvent } from './internal/model.js';
