#!/usr/bin/env escript
%%! -sname n22_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N22
%%% title: exit reasons cross nodes whole: pids and refs inside a reason are the same pids and refs on arrival; a remote normal exit leaves a linked non-trapping process alive
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n22"),
    Test = name(self(), test),
    process_flag(trap_exit, true),
    P = puppet(B, p),
    Q = puppet(B, q),
    L = puppet(node(), l),
    log("l link ~w", [do(L, {link, Q})]),
    ML = name(monitor(process, L), ml),
    name(monitor(process, P), mp),
    exit(P, {bye, Test, ML}),
    receive {'DOWN', _, process, P, _} = D1 -> log("recv ~w", [D1]) end,
    link(Q),
    name(monitor(process, Q), mq),
    Q ! {do, self(), {exit, normal}},
    receive {'DOWN', _, process, Q, _} = D2 -> log("recv ~w", [D2]) end,
    log("l mailbox ~w", [do(L, mailbox)]),
    log_mailbox(300),
    peer:stop(Peer).
