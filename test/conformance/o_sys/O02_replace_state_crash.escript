#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O02
%%% title: a replace_state fun that crashes: the caller gets the error, the server keeps its state and goes on
-include("o.hrl").
main(_) ->
    P = start_srv(5, []),
    log("replace_state ~w", [try_(fun() -> sys:replace_state(P, fun(_) -> error(bad) end) end)]),
    log("alive ~w", [is_process_alive(P)]),
    log("get_state ~w", [sys:get_state(P)]),
    log("call get ~w", [gen_server:call(P, get)]).
