#!/usr/bin/env escript
%%% id: K12
%%% title: a state enter call may not postpone, insert events or change the state
-module(k12).
-include("k.hrl").
try_enter(Result) ->
    {ok, P} = start(#{enter => true}),
    Ref = monitor(process, P),
    gen_statem:cast(P, {on_enter, Result, {next_state, s1, 1}}),
    receive {'DOWN', Ref, process, P, Down} -> log({down, strip(Down)}) end.
main(_) ->
    try_enter({keep_state_and_data, [postpone]}),
    try_enter({keep_state_and_data, [{next_event, internal, x}]}),
    try_enter({next_state, s2, 1}),
    flush().
