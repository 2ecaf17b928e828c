#!/usr/bin/env escript
%%% id: K07
%%% title: the state timeout is cancelled by a change of state, kept by next_state to the same state, restarted by setting it again, updated and cancelled
-module(k07).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{}),
    cast(P, {keep_state_and_data, [{state_timeout, 50, changed}]}),
    cast(P, {next_state, s1, 1}),
    timer:sleep(100),
    cast(P, {keep_state_and_data, [{state_timeout, 50, same_state}]}),
    cast(P, {next_state, s1, 2}),
    timer:sleep(100),
    cast(P, {keep_state_and_data, [{state_timeout, 50, old}]}),
    cast(P, {keep_state_and_data, [{state_timeout, 100, restarted}]}),
    timer:sleep(70),
    log(at_70ms),
    timer:sleep(80),
    cast(P, {keep_state_and_data, [{state_timeout, 50, before_update}]}),
    cast(P, {keep_state_and_data, [{state_timeout, update, after_update}]}),
    timer:sleep(100),
    cast(P, {keep_state_and_data, [{state_timeout, 50, cancelled}]}),
    cast(P, {keep_state_and_data, [{state_timeout, cancel}]}),
    cast(P, {next_state, s0, 3, [{state_timeout, 50, set_while_changing}]}),
    timer:sleep(100),
    gen_statem:stop(P),
    flush().
