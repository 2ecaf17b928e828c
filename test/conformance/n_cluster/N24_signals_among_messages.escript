#!/usr/bin/env escript
%%! -sname n24_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N24
%%% title: messages and exit signals from one process to a process of another node arrive in the order they were sent
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n24"),
    name(self(), test),
    Q = puppet(B, q),
    log("q trap ~w", [do(Q, {trap, true})]),
    Q ! one,
    exit(Q, normal),
    Q ! two,
    exit(Q, custom),
    Q ! three,
    log("q mailbox ~w", [do(Q, mailbox)]),
    log_mailbox(200),
    peer:stop(Peer).
