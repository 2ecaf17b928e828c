#!/usr/bin/env escript
%%! -sname m18_a
%%% id: M18
%%% title: monitor of {Name, Node}: DOWN names {Name, Node} when the process exits, or at once with noproc when nobody holds the name; {Name, node()} is a local name monitor
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m18"),
    name(self(), test),
    R = puppet(B, r),
    true = do(R, {register, db}),
    name(monitor(process, {db, B}), m1),
    R ! {do, self(), {exit, bye}},
    log_mailbox(500),
    name(monitor(process, {nobody, B}), m2),
    log_mailbox(500),
    L = spawn(fun() -> receive stop -> ok end end),
    register(here, L),
    name(monitor(process, {here, node()}), m3),
    L ! stop,
    log_mailbox(500),
    peer:stop(Peer).
