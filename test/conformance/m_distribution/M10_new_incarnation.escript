#!/usr/bin/env escript
%%! -sname m10_a
%%% id: M10
%%% title: after the other node restarts under the same name, pids of the old incarnation are dead: send dropped, monitor and link give noproc, exit/2 does nothing
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m10"),
    name(self(), test),
    Old = puppet(B, old),
    peer:stop(Peer),
    {Peer2, B} = start_b("m10"),
    true = net_kernel:connect_node(B),
    log("nodes ~w", [nodes()]),
    process_flag(trap_exit, true),
    Old ! hello,
    name(monitor(process, Old), m),
    log("link ~w", [link(Old)]),
    exit(Old, kill),
    log_mailbox(500),
    peer:stop(Peer2).
