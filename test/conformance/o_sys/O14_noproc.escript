#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O14
%%% title: sys on a dead pid or an unregistered name exits with noproc
-include("o.hrl").
main(_) ->
    P = start_srv(1, []),
    gen_server:stop(P),
    log("dead get_state ~w", [try_(fun() -> sys:get_state(P) end)]),
    log("dead suspend ~w", [try_(fun() -> sys:suspend(P) end)]),
    log("dead statistics ~w", [try_(fun() -> sys:statistics(P, get) end)]),
    log("nobody get_status ~w", [try_(fun() -> sys:get_status(nobody) end)]).
