#!/usr/bin/env escript
%%! -sname m02_a
%%% id: M02
%%% title: a remote process's exit reaches linked processes: a non-trapping one dies with its reason, a trapping one gets EXIT
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m02"),
    name(self(), test),
    P = puppet(B, p),
    L1 = puppet(node(), l1),
    L2 = puppet(node(), l2),
    true = do(L1, {link, P}),
    false = do(L2, {trap, true}),
    true = do(L2, {link, P}),
    M = monitor(process, L1),
    %% Asked by l2, after its link: the exit cannot overtake the links.
    do(L2, {send, P, {do, L2, {exit, boom}}}),
    receive {'DOWN', M, process, _, R} -> log("down l1 ~w", [R]) end,
    log("l2 mailbox ~w", [do(L2, mailbox)]),
    peer:stop(Peer).
