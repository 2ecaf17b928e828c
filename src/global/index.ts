/**
 * Global names: register a name once and find it from every connected node, Erlang's `global`
 * (Elixir's `:global`).
 *
 * Imported as a namespace: `import { Global } from 'ts-otp'`, then `Global.register`,
 * `Global.whereis`, `Global.send`, `Global.via`.
 *
 * ## Design
 *
 * **A table on every node.** Each node runs a name server process from `Node.start`
 * (registered locally as `global_name_server`, as in Erlang; it ends with `Node.stop`).
 * It holds this node's copy of the table: name to pid, in this node's numbering of the pid.
 * {@link whereis}, {@link send} and a {@link via} name's lookups read it directly, with no
 * message. A killed server is started again, empty, at the next call, and asks the connected
 * nodes for their names.
 *
 * **Registering** ({@link register}) is a round of messages: the server reserves the name on
 * every connected node; if all agree it commits the name on each and resolves `true` once they
 * have all acknowledged. A node that holds the name (or holds the pid under another name)
 * answers "taken" and the registration resolves `false`. A node that holds a reservation of
 * another registration answers "busy": the round gives its reservations back and retries after
 * a random pause (1 ms up to 256 ms, growing with each try), so of two registrations of one
 * name at the same time exactly one wins. Erlang takes a cluster-wide lock for the same effect.
 *
 * **Exits and lost nodes.** Every server monitors every pid of its table: a registered process
 * that exits loses its name on every node, and a node that is lost takes its names with it (its
 * processes' monitors fire with `noconnection`).
 *
 * **Meeting again.** When two nodes connect (first time, or after a partition or a
 * `Node.disconnect`), each server sends the other its table. A name the receiver lacks is
 * added. A name held by two different pids is a clash. The node with the smaller name (string
 * order) settles each clash with the method its own entry was registered with
 * ({@link ResolveMethod}), and sends the outcome to the other, which applies it; the other does
 * nothing else about it. The built-in methods pick by node name, as Erlang's do: with the
 * default `'random_exit_name'` the pid on the node with the smaller name keeps the name and the
 * other is killed, so every node ends with the same answer. A function cannot cross nodes: the
 * node that registered with it runs it when the settling node asks.
 *
 * Unlike Erlang, which settles a clash once per partition under a lock, each pair of nodes that
 * meet settles its own: a loser may be killed or notified once per node of the other side.
 *
 * **Hidden nodes.** The worker nodes of isolated children (`Supervisor.isolated`) take no part,
 * as Erlang's hidden nodes in `global`: a child busy in a loop holds up no registration.
 *
 * **Names** are strings that are not shaped like a pid or a ref (Erlang takes any term).
 *
 * @module
 */
export { register, registeredNames, send, sync, unregister, via, whereis, type NameConflictMessage, type RegisterOptions, type ResolveFunction, type ResolveMethod } from './global.js';
