#!/usr/bin/env escript
%%! -sname n61_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N61
%%% title: a supervisor on a whose child is a gen_server on b: the child crashes and is restarted on b
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n61"),
    {ok, Sup} = supervisor:start_link(nr_help, {sup, B, permanent}),
    unlink(Sup),
    name(Sup, sup),
    [{c, C1, worker, _}] = supervisor:which_children(Sup),
    name(C1, c1),
    log("child c1 on ~w", [node(C1)]),
    log("where ~w", [gen_server:call(C1, where)]),
    monitor(process, C1),
    gen_server:cast(C1, crash),
    receive {'DOWN', _, process, C1, R} -> log("c1 DOWN ~w", [R]) end,
    [{c, C2, worker, _}] = supervisor:which_children(Sup),
    name(C2, c2),
    log("child c2 on ~w", [node(C2)]),
    log("where ~w", [gen_server:call(C2, where)]),
    log("sup alive ~w", [is_process_alive(Sup)]).
