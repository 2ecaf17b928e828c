#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O08
%%% title: a suspended server that traps exits keeps the EXIT queued behind earlier messages; it gets it after resume
-include("o.hrl").
main(_) ->
    name(self(), test),
    P = start_srv(1, [trap_exit]),
    sys:suspend(P),
    P ! a,
    exit(P, boom),
    P ! b,
    log("get_state ~w", [sys:get_state(P)]),
    log("alive ~w", [is_process_alive(P)]),
    sys:resume(P),
    log("get_state ~w", [sys:get_state(P)]).
