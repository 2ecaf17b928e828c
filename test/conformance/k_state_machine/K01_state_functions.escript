#!/usr/bin/env escript
%%% id: K01
%%% title: state functions: each state's function handles its events; calls, casts and infos reach it
-module(k01).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{mode => state_functions}),
    queued(P, fun(_) ->
        P ! hello,
        cast(P, {next_state, s1, 1}),
        P ! again
    end),
    R = gen_statem:call(P, {do, fun(F) -> {next_state, s2, 2, [{reply, F, {was, s1}}]} end}),
    log({reply, R}),
    gen_statem:stop(P),
    flush().
