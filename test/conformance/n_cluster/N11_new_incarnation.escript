#!/usr/bin/env escript
%%! -sname n11_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N11
%%% title: a node killed and started again under the same name is a new incarnation: pids of the old one stay dead (noproc), new ones work
-include("n.hrl").
main(_) ->
    {_Peer, B} = start_b("n11"),
    name(self(), test),
    Old = puppet(B, old),
    monitor_node(B, true),
    signal(os_pid(B), "KILL"),
    log_until_nodedown(),
    {Peer2, B} = start_b("n11", list_to_atom(hd(string:split(atom_to_list(B), "@")))),
    log("connect ~w", [net_kernel:connect_node(B)]),
    log("nodes ~w", [nodes()]),
    process_flag(trap_exit, true),
    Old ! hello,
    name(monitor(process, Old), m),
    log("link ~w", [link(Old)]),
    log_mailbox(500),
    New = puppet(B, new),
    log("new mailbox ~w", [do(New, mailbox)]),
    peer:stop(Peer2).
