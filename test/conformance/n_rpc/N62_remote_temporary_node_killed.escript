#!/usr/bin/env escript
%%! -sname n62_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N62
%%% title: a supervisor on a with a temporary child on b; b killed with SIGKILL: the child exits noconnection and is removed, the supervisor lives on
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n62"),
    {ok, Sup} = supervisor:start_link(nr_help, {sup, B, temporary}),
    unlink(Sup),
    name(Sup, sup),
    [{c, C, worker, _}] = supervisor:which_children(Sup),
    name(C, c),
    monitor(process, C),
    monitor(process, Sup),
    kill_node(B),
    receive {'DOWN', _, process, C, R} -> log("c DOWN ~w", [R]) end,
    log("children ~w", [supervisor:which_children(Sup)]),
    log("count ~w", [supervisor:count_children(Sup)]),
    log_mailbox(500).
