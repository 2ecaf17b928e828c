#!/usr/bin/env escript
%%! -sname n27_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N27
%%% title: messages sent just before disconnect_node are delivered: the connection closes after them
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n27"),
    name(self(), test),
    P = puppet(B, p),
    [P ! {m, I} || I <- lists:seq(1, 5)],
    log("disconnect ~w", [erlang:disconnect_node(B)]),
    %% p lives on: asking it connects the nodes again.
    log("p mailbox ~w", [do(P, mailbox)]),
    log_mailbox(200),
    peer:stop(Peer).
