#!/usr/bin/env escript
%%! -sname n09_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N09
%%% title: the other node's OS process killed with SIGKILL: every link noconnection, then every monitor DOWN noconnection, then nodedown, each once; then a call there exits with nodedown, and a link or monitor of its pids gives noconnection
-include("n.hrl").
main(_) ->
    {_Peer, B} = start_b("n09"),
    name(self(), test),
    process_flag(trap_exit, true),
    R1 = puppet(B, r1),
    R2 = puppet(B, r2),
    {ok, S} = erpc:call(B, gen_server, start, [{local, counter}, n_help, 0, []]),
    name(S, s),
    link(R1),
    name(monitor(process, R1), m1),
    name(monitor(process, R2), m2),
    name(monitor(process, {counter, B}), m3),
    monitor_node(B, true),
    signal(os_pid(B), "KILL"),
    log_until_nodedown(),
    log_mailbox(500),
    log("nodes ~w", [nodes()]),
    log("call ~w", [call_reason(catch gen_server:call({counter, B}, {add, 1}))]),
    %% A pid of the lost node, monitored and linked again: the node cannot be reached.
    name(monitor(process, R2), m4),
    log("link ~w", [link(R2)]),
    log_mailbox(500).

call_reason({'EXIT', {Reason, {gen_server, call, _}}}) -> Reason.
