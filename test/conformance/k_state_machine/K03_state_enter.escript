#!/usr/bin/env escript
%%% id: K03
%%% title: state enter calls: after init (old state = the state), on a change, on repeat_state; not on keep_state or next_state to the same state
-module(k03).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{enter => true}),
    cast(P, {keep_state, 1}),
    cast(P, {next_state, s0, 2}),
    cast(P, {repeat_state, 3}),
    cast(P, {next_state, s1, 4}),
    cast(P, repeat_state_and_data),
    gen_statem:stop(P),
    flush().
