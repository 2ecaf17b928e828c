#!/usr/bin/env escript
%%! -sname n03_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N03
%%% title: a remote process that crashes: a linked trapping process gets EXIT with the crash, a linked non-trapping one dies with it
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n03"),
    name(self(), test),
    process_flag(trap_exit, true),
    P = puppet(B, p),
    L = puppet(node(), l),
    link(P),
    log("l link ~w", [do(L, {link, P})]),
    name(monitor(process, L), ml),
    P ! {do, self(), {crash, boom}},
    receive {'EXIT', P, _} = E -> log("recv ~w", [E]) end,
    receive {'DOWN', _, process, L, _} = D -> log("recv ~w", [D]) end,
    log_mailbox(300),
    peer:stop(Peer).
