#!/usr/bin/env escript
%%! -sname n21_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N21
%%% title: a send to a process of a node just disconnected connects it again (auto-connect) and is delivered
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n21"),
    name(self(), test),
    P = puppet(B, p),
    log("disconnect ~w", [erlang:disconnect_node(B)]),
    P ! hello,
    log("p mailbox ~w", [do(P, mailbox)]),
    log("nodes ~w", [nodes()]),
    log_mailbox(200),
    peer:stop(Peer).
