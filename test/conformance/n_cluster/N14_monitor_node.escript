#!/usr/bin/env escript
%%! -sname n14_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N14
%%% title: monitor_node: a node that is up delivers one nodedown per call when it goes down; a node that is not there delivers nodedown at once
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n14"),
    name(self(), test),
    log("monitor_node ~w", [monitor_node(B, true)]),
    log("monitor_node ~w", [monitor_node(B, true)]),
    log_mailbox(200),
    log("disconnect ~w", [erlang:disconnect_node(B)]),
    log_mailbox(500),
    [_, Host] = string:split(atom_to_list(node()), "@"),
    Nowhere = list_to_atom("n14_nowhere@" ++ Host),
    put({node_name, Nowhere}, nowhere),
    log("monitor_node ~w", [monitor_node(Nowhere, true)]),
    log_mailbox(500),
    peer:stop(Peer).
