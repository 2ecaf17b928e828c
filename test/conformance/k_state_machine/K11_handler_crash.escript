#!/usr/bin/env escript
%%% id: K11
%%% title: a handler that crashes: terminate runs with the reason and the state and data before the event, the caller's call fails, the machine exits
-module(k11).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{init => fun() -> {ok, s1, 5} end}),
    Ref = monitor(process, P),
    Result = (catch gen_statem:call(P, {do, fun(_) -> exit(crashed) end})),
    {'EXIT', {Reason, {gen_statem, call, _}}} = Result,
    log({caller, Reason}),
    receive {'DOWN', Ref, process, P, Down} -> log({down, Down}) end,
    flush().
