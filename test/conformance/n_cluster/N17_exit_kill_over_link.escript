#!/usr/bin/env escript
%%! -sname n17_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N17
%%% title: a remote process that exits itself with reason kill: its links get kill, an ordinary reason (a trapping process receives it, a non-trapping one dies with kill, not killed)
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n17"),
    name(self(), test),
    process_flag(trap_exit, true),
    P = puppet(B, p),
    L = puppet(node(), l),
    link(P),
    log("l link ~w", [do(L, {link, P})]),
    name(monitor(process, L), ml),
    P ! {do, self(), {exit, kill}},
    receive {'EXIT', P, _} = E -> log("recv ~w", [E]) end,
    receive {'DOWN', _, process, L, _} = D -> log("recv ~w", [D]) end,
    log_mailbox(300),
    peer:stop(Peer).
