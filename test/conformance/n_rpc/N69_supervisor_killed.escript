#!/usr/bin/env escript
%%! -sname n69_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N69
%%% title: a supervisor killed: its child on another node, linked to it, dies with it (killed)
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n69"),
    {ok, Sup} = supervisor:start_link(nr_help, {sup, B, permanent}),
    unlink(Sup),
    name(Sup, sup),
    [{c, C, worker, _}] = supervisor:which_children(Sup),
    name(C, c),
    monitor(process, C),
    monitor(process, Sup),
    exit(Sup, kill),
    receive {'DOWN', _, process, Sup, S} -> log("sup DOWN ~w", [S]) end,
    receive {'DOWN', _, process, C, R} -> log("c DOWN ~w", [R]) end,
    log("c alive ~w", [erpc:call(B, erlang, is_process_alive, [C])]).
