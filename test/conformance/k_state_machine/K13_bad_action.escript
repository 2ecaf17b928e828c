#!/usr/bin/env escript
%%% id: K13
%%% title: an unknown action ends the machine with bad_action_from_state_function, after the actions before it ran; the system goes on
-module(k13).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{}),
    Ref = monitor(process, P),
    R = (catch gen_statem:call(P, {do, fun(F) -> {keep_state_and_data, [{reply, F, before}, {bogus, 1}]} end})),
    log({caller, R}),
    receive {'DOWN', Ref, process, P, Down} -> log({down, strip(Down)}) end,
    {ok, Q} = start(#{}),
    log({next_one, gen_statem:call(Q, {do, fun(F) -> {keep_state_and_data, [{reply, F, fine}]} end})}),
    gen_statem:stop(Q),
    flush().
