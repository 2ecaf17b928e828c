#!/usr/bin/env escript
%%% id: K04
%%% title: postponed events are retried only after a change of state, in order, before newer events
-module(k04).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{}),
    queued(P, fun(_) ->
        P ! {post, a},
        P ! {post, b},
        cast(P, {next_state, s0, 1}),
        P ! {post, c},
        cast(P, {next_state, s1, 2}),
        P ! newer
    end),
    gen_statem:stop(P),
    flush().
