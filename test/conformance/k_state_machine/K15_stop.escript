#!/usr/bin/env escript
%%% id: K15
%%% title: stop from outside runs terminate with the reason, state and data; stopping a machine that is gone fails with noproc
-module(k15).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{}),
    cast(P, {next_state, s1, 7}),
    log({stop, gen_statem:stop(P, {shutdown, done}, infinity)}),
    log({again, catch gen_statem:stop(P)}),
    flush().
