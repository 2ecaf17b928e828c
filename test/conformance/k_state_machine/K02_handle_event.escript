#!/usr/bin/env escript
%%% id: K02
%%% title: handle_event_function: one function for every event, with the state as an argument; state objects compare by value
-module(k02).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{init => fun() -> {ok, {room, 1}, 0} end}),
    cast(P, {next_state, {room, 1}, 1, [{next_event, internal, same_state}]}),
    cast(P, {next_state, {room, 2}, 2}),
    P ! where,
    gen_statem:stop(P),
    flush().
