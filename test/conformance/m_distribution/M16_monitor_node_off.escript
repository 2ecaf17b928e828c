#!/usr/bin/env escript
%%! -sname m16_a
%%% id: M16
%%% title: monitor_node(Node, false) removes one of the caller's monitors of Node, not all of them
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m16"),
    name(self(), test),
    true = monitor_node(B, true),
    true = monitor_node(B, true),
    true = monitor_node(B, true),
    log("monitor_node ~w", [monitor_node(B, false)]),
    true = erlang:disconnect_node(B),
    log_mailbox(500),
    pong = net_adm:ping(B),
    true = monitor_node(B, true),
    true = monitor_node(B, false),
    log("monitor_node ~w", [monitor_node(B, false)]),
    true = erlang:disconnect_node(B),
    log_mailbox(500),
    log("done", []),
    peer:stop(Peer).
