#!/usr/bin/env escript
%%! -sname n63_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N63
%%% title: a supervisor on a with a permanent child on b; b killed with SIGKILL: the child exits noconnection, each restart on b fails and counts, the supervisor shuts down at its intensity
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n63"),
    register(attempts, self()),
    {ok, Sup} = supervisor:start_link(nr_help, {sup, B, permanent}),
    unlink(Sup),
    name(Sup, sup),
    [{c, C, worker, _}] = supervisor:which_children(Sup),
    name(C, c),
    monitor(process, C),
    monitor(process, Sup),
    kill_node(B),
    receive {'DOWN', _, process, C, R} -> log("c DOWN ~w", [R]) end,
    receive {'DOWN', _, process, Sup, S} -> log("sup DOWN ~w", [S]) end,
    {Attempts, Other} = lists:partition(fun(M) -> element(1, M) =:= attempt end, flush(200)),
    log("start attempts ~w", [length(Attempts)]),
    log("mailbox ~w", [Other]).
