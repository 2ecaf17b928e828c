#!/usr/bin/env escript
%%! -sname n25_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N25
%%% title: a process that crashes: a trapping process of another node linked to it gets EXIT with the crash, and one monitoring it DOWN with the crash
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n25"),
    name(self(), test),
    L = puppet(node(), l),
    W = puppet(B, w),
    log("w trap ~w", [do(W, {trap, true})]),
    log("w link ~w", [do(W, {link, L})]),
    name(do(W, {monitor, L}), wm),
    name(monitor(process, L), ml),
    L ! {do, self(), {crash, boom}},
    receive {'DOWN', _, process, L, _} = D -> log("recv ~w", [D]) end,
    log("w mailbox ~w", [do(W, mailbox)]),
    log_mailbox(200),
    peer:stop(Peer).
