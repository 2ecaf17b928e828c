#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O07
%%% title: a suspended server that does not trap exits dies of an exit signal at once; terminate does not run
-include("o.hrl").
main(_) ->
    P = start_srv(1, []),
    sys:suspend(P),
    R = monitor(process, P),
    exit(P, boom),
    receive {'DOWN', R, process, _, Reason} -> log("down ~w", [Reason]) end,
    log("get_state ~w", [try_(fun() -> sys:get_state(P) end)]).
