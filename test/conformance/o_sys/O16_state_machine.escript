#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O16
%%% title: on a gen_statem: get_state is {State, Data}, replace_state takes and gives {State, Data}, get_status names gen_statem
-include("o.hrl").
main(_) ->
    P = start_machine(off, 0),
    gen_statem:cast(P, {go, on}),
    log("get_state ~w", [sys:get_state(P)]),
    log("replace_state ~w", [sys:replace_state(P, fun({S, D}) -> {S, D * 10 + 5} end)]),
    log("call get ~w", [gen_statem:call(P, get)]),
    [log("status ~w", [I]) || I <- lists:sublist(status(P), 2)],
    log("suspend ~w", [sys:suspend(P)]),
    gen_statem:cast(P, {go, off}),
    log("get_state ~w", [sys:get_state(P)]),
    sys:resume(P),
    log("get_state ~w", [sys:get_state(P)]).
