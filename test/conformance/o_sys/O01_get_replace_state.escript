#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O01
%%% title: get_state reads the state between messages; replace_state installs the fun's result and returns it
-include("o.hrl").
main(_) ->
    P = start_srv(1, []),
    gen_server:cast(P, {set, 2}),
    log("get_state ~w", [sys:get_state(P)]),
    log("replace_state ~w", [sys:replace_state(P, fun(S) -> S * 10 end)]),
    log("call get ~w", [gen_server:call(P, get)]),
    log("get_state by name ~w", [begin register(srv, P), sys:get_state(srv) end]).
