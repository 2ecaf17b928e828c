#!/usr/bin/env escript
%%% id: K10
%%% title: init's results: ok with actions (inserted events after the start returned), ignore, stop, and a crash
-module(k10).
-include("k.hrl").
main(_) ->
    process_flag(trap_exit, true),
    {ok, P} = start(#{enter => true, init => fun() -> {ok, s1, 0, [{next_event, internal, from_init}, {state_timeout, 0, zero}]} end}),
    log({started, s1}),
    timer:sleep(50),
    gen_statem:stop(P),
    log({ignore, start(#{init => fun() -> ignore end})}),
    log({stop, start(#{init => fun() -> {stop, no_config} end})}),
    log({crash, start(#{init => fun() -> error(boom) end})}),
    flush().
