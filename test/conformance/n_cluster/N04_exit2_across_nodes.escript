#!/usr/bin/env escript
%%! -sname n04_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N04
%%% title: exit/2 to a remote process: normal is ignored unless it traps exits, a custom reason kills it or reaches it as EXIT, kill kills even a trapping one
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n04"),
    name(self(), test),
    P = puppet(B, p),
    Q = puppet(B, q),
    log("q trap ~w", [do(Q, {trap, true})]),
    exit(P, normal),
    exit(Q, normal),
    exit(Q, custom),
    log("p mailbox ~w", [do(P, mailbox)]),
    log("q mailbox ~w", [do(Q, mailbox)]),
    name(monitor(process, P), mp),
    name(monitor(process, Q), mq),
    exit(P, custom),
    receive {'DOWN', _, process, P, _} = D1 -> log("recv ~w", [D1]) end,
    exit(Q, kill),
    receive {'DOWN', _, process, Q, _} = D2 -> log("recv ~w", [D2]) end,
    log_mailbox(200),
    peer:stop(Peer).
