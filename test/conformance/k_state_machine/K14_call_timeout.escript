#!/usr/bin/env escript
%%% id: K14
%%% title: a call that times out fails the caller only; the machine goes on and its late reply is dropped
-module(k14).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{}),
    R = (catch gen_statem:call(P, {do, fun(F) -> timer:sleep(50), {keep_state, 1, [{reply, F, late}]} end}, 10)),
    {'EXIT', {Reason, {gen_statem, call, _}}} = R,
    log({caller, Reason}),
    R2 = gen_statem:call(P, {do, fun(F) -> {keep_state_and_data, [{reply, F, on_time}]} end}),
    log({next_call, R2}),
    gen_statem:stop(P),
    flush().
