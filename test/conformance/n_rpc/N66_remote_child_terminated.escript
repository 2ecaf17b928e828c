#!/usr/bin/env escript
%%! -sname n66_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N66
%%% title: a supervisor terminates its child on another node: the child exits shutdown there; restarted, it is on that node again
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n66"),
    {ok, Sup} = supervisor:start_link(nr_help, {sup, B, permanent}),
    unlink(Sup),
    [{c, C1, worker, _}] = supervisor:which_children(Sup),
    name(C1, c1),
    monitor(process, C1),
    log("terminate ~w", [supervisor:terminate_child(Sup, c)]),
    receive {'DOWN', _, process, C1, R} -> log("c1 DOWN ~w", [R]) end,
    log("children ~w", [supervisor:which_children(Sup)]),
    {ok, C2} = supervisor:restart_child(Sup, c),
    name(C2, c2),
    log("restarted c2 on ~w", [node(C2)]),
    log("where ~w", [gen_server:call(C2, where)]),
    monitor(process, C2),
    monitor(process, Sup),
    exit(Sup, shutdown),
    receive {'DOWN', _, process, C2, R2} -> log("c2 DOWN ~w", [R2]) end,
    receive {'DOWN', _, process, Sup, R3} -> log("sup DOWN ~w", [R3]) end.
