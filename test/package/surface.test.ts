/**
 * The package's public surface at run time: exactly these names, and none of the kernel's hooks
 * that the layers share (they reach them through src/process/hooks.ts, never through the entry).
 * A name added to or dropped from the public API is a decision: update the list with it.
 */
import { describe, expect, it } from 'vitest';
import * as otp from '../../src/index.js';
import * as testing from '../../src/testing/index.js';
import * as observer from '../../src/observer/index.js';

const surface: Record<string, readonly string[]> = {
  '': [
    'Agent', 'Application', 'CallError', 'ChildSpecError', 'CloneError', 'DynamicSupervisor', 'GenServer', 'InvalidArgumentError', 'Next',
    'NoProcError', 'Node', 'NodeError', 'OtpError', 'ProcessExit', 'RegisterError', 'Runtime', 'StateMachine', 'StopError', 'Supervisor', 'Task',
    'TaskError', 'TaskSupervisor', 'TIMEOUT',
    'defaultRuntime', 'formatReason', 'isExpectedExit', 'isOtpError', 'isPid', 'isRef', 'isValidName', 'runtimeOf', 'toExitReason',
    'Registry', 'isVia', 'PartitionSupervisor', 'Sys', 'Global',
  ],
  PartitionSupervisor: ['countChildren', 'named', 'partitions', 'start', 'startLink', 'stop', 'via', 'whichChildren'],
  Registry: [
    'childSpec', 'count', 'countMatch', 'deleteMeta', 'dispatch', 'keys', 'lookup', 'match', 'meta', 'named', 'putMeta', 'register', 'start',
    'startLink', 'unregister', 'unregisterMatch', 'updateValue', 'values', 'via',
  ],
  GenServer: ['call', 'cast', 'getState', 'named', 'replaceState', 'reply', 'start', 'startLink', 'statistics', 'stop'],
  Supervisor: [
    'checkChildSpecs', 'countChildren', 'deleteChild', 'isolated', 'named', 'remote', 'restartChild', 'start', 'startChild', 'startLink', 'stop', 'supervisor',
    'terminateChild', 'tree', 'whichChildren', 'worker',
  ],
  DynamicSupervisor: ['countChildren', 'named', 'start', 'startChild', 'startLink', 'stop', 'terminateChild', 'whichChildren'],
  Application: [
    'ensureAllStarted', 'envVarName', 'getAllEnv', 'getEnv', 'isLoaded', 'load', 'main', 'onHalt', 'putEnv', 'start', 'stop', 'stopAll',
    'unsetEnv', 'whichApplications',
  ],
  Node: [
    'RpcError', 'attach', 'call', 'cast', 'connect', 'disconnect', 'isRemotePid', 'join', 'liveWorkers', 'monitorNode', 'monitorNodes', 'name', 'nodes', 'portLink', 'spawn',
    'spawnLink', 'start', 'startWorker', 'stop',
  ],
  Agent: ['cast', 'childSpec', 'get', 'getAndUpdate', 'named', 'start', 'startLink', 'stop', 'update'],
  Next: ['ignore', 'noreply', 'ok', 'reply', 'stop', 'stopAndReply'],
  Task: ['async', 'asyncStream', 'await', 'awaitMany', 'childSpec', 'ignore', 'shutdown', 'start', 'startLink', 'yield', 'yieldMany'],
  TaskSupervisor: [
    'async', 'asyncNolink', 'asyncStream', 'asyncStreamNolink', 'childSpec', 'children', 'named', 'start', 'startChild', 'startLink', 'stop',
    'terminateChild',
  ],
  StateMachine: ['Action', 'Step', 'call', 'cast', 'named', 'reply', 'start', 'startLink', 'stop'],
  Global: ['register', 'registeredNames', 'send', 'sync', 'unregister', 'via', 'whereis'],
  Sys: ['getState', 'getStatus', 'install', 'remove', 'replaceState', 'resume', 'statistics', 'suspend', 'trace'],
};

const hooks = [
  'awaitMessage', 'catchExits', 'checkSpawnOptions', 'clockNow', 'clockTimer', 'deadlineQueue', 'deliverTo', 'endProcess', 'hasExited',
  'interceptOwnExit', 'namedProcessData', 'NO_MESSAGE', 'onPidExit', 'onProcessExit', 'processData', 'setProcessData', 'takeMatching',
  'takeMessage', 'takeRef', 'isRemote', 'isolate', 'startIsolatedWorker', 'serve', 'aliasRuntimeId', 'describeValue', 'loggableError', 'exitReasonOf',
  'addExitHook', 'findExitHook', 'removeExitHook', 'liveContext',
  'startServer', 'ANY_REQUEST', 'systemRequest', 'SYS_VIEW', 'logEvent',
  'clockOf', 'liveTimers', 'hostTurn', 'isNode',
  'addNodeService', 'nodeOfPid', 'whenStopped', 'isHiddenNode',
];

describe("the package's entry", () => {
  it.each(Object.entries(surface))('exports exactly the public names of %s', (namespace, names) => {
    const module = namespace === '' ? otp : (otp as unknown as Record<string, object>)[namespace]!;
    expect(Object.keys(module).sort()).toEqual([...names].sort());
  });

  it("exports none of the kernel's hooks, at any level", () => {
    const reachable = new Set(Object.keys(otp));
    for (const namespace of Object.keys(surface)) if (namespace !== '') for (const key of Object.keys((otp as unknown as Record<string, object>)[namespace]!)) reachable.add(key);
    expect(hooks.filter((name) => reachable.has(name))).toEqual([]);
  });
});

describe("the 'ts-otp/testing' entry", () => {
  it('exports exactly the names of the test kit', () => {
    expect(Object.keys(testing).sort()).toEqual(
      [
        'DEFAULT_RECEIVE_TIMEOUT', 'LeakError', 'ReceiveAssertionError', 'SupervisedError', 'VirtualClock', 'assertNoLeaks', 'assertReceive',
        'findLeaks', 'matchesPattern', 'otpMatchers', 'otpTest', 'refuteReceive',
      ].sort(),
    );
  });

  it("exports none of the kernel's hooks", () => {
    expect(hooks.filter((name) => name in testing)).toEqual([]);
  });
});

describe("the 'ts-otp/observer' entry", () => {
  it('exports exactly the Observer namespace and its public names', () => {
    expect(Object.keys(observer)).toEqual(['Observer']);
    expect(Object.keys(observer.Observer).sort()).toEqual(['handler', 'start']);
  });
});
