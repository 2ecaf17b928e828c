#!/usr/bin/env escript
%%% id: K06
%%% title: the event timeout fires when no event comes, is cancelled by any event, and at 0 fires before queued messages unless events are inserted
-module(k06).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{}),
    cast(P, {keep_state_and_data, [{timeout, 50, fired}]}),
    timer:sleep(100),
    cast(P, {keep_state_and_data, [{timeout, 50, cancelled}]}),
    P ! event,
    timer:sleep(100),
    queued(P, fun(_) ->
        cast(P, {keep_state_and_data, [{timeout, 0, zero}]}),
        P ! queued
    end),
    timer:sleep(50),
    cast(P, {keep_state_and_data, [{timeout, 0, not_with_inserted}, {next_event, internal, inserted}]}),
    cast(P, {keep_state_and_data, [{timeout, 50, first}, {timeout, update, updated}]}),
    timer:sleep(100),
    gen_statem:stop(P),
    flush().
