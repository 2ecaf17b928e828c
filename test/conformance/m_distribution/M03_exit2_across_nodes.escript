#!/usr/bin/env escript
%%! -sname m03_a
%%% id: M03
%%% title: exit/2 to a remote process: normal is ignored unless it traps exits; kill makes it exit with killed
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m03"),
    name(self(), test),
    P = puppet(B, p),
    Q = puppet(B, q),
    false = do(Q, {trap, true}),
    exit(P, normal),
    exit(Q, normal),
    log("p mailbox ~w", [do(P, mailbox)]),
    log("q mailbox ~w", [do(Q, mailbox)]),
    name(monitor(process, P), mp),
    exit(P, kill),
    log_mailbox(500),
    peer:stop(Peer).
