#!/usr/bin/env escript
%%% id: K05
%%% title: inserted events are handled before any queued message, in action order, and before retried postponed events
-module(k05).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{}),
    queued(P, fun(_) ->
        P ! {post, a},
        cast(P, {next_state, s1, 1, [{next_event, internal, n1}, {next_event, cast, n2}, {next_event, info, n3}]}),
        P ! queued
    end),
    gen_statem:stop(P),
    flush().
