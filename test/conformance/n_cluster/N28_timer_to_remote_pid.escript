#!/usr/bin/env escript
%%! -sname n28_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N28
%%% title: a timer (send_after, start_timer) to a process of another node: Erlang refuses it with badarg (a timer's pid must be local)
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n28"),
    name(self(), test),
    P = puppet(B, p),
    log("send_after ~w", [badarg(catch erlang:send_after(100, P, hello))]),
    log("start_timer ~w", [badarg(catch erlang:start_timer(100, P, hi))]),
    erlang:send_after(300, self(), fired),
    receive fired -> ok end,
    log("p mailbox ~w", [do(P, mailbox)]),
    log_mailbox(200),
    peer:stop(Peer).

badarg({'EXIT', {badarg, _}}) -> badarg.
