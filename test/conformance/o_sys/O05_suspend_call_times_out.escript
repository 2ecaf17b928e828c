#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O05
%%% title: a suspended server answers system requests only: a call times out, get_state and get_status are answered
-include("o.hrl").
main(_) ->
    P = start_srv(1, []),
    log("suspend ~w", [sys:suspend(P)]),
    log("call ~w", [try_(fun() -> gen_server:call(P, get, 100) end)]),
    log("get_state ~w", [sys:get_state(P)]),
    log("status ~w", [lists:nth(2, status(P))]),
    log("suspend again ~w", [sys:suspend(P)]),
    log("resume ~w", [sys:resume(P)]),
    log("status ~w", [lists:nth(2, status(P))]),
    log("resume again ~w", [sys:resume(P)]),
    log("call ~w", [gen_server:call(P, get)]).
