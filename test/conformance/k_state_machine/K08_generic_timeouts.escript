#!/usr/bin/env escript
%%% id: K08
%%% title: generic timeouts run by name, survive changes of state, restart when set again, and infinity cancels one
-module(k08).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{}),
    cast(P, {keep_state_and_data, [{{timeout, a}, 50, a1}, {{timeout, b}, 50, b1}, {{timeout, c}, 50, c1}]}),
    cast(P, {next_state, s1, 1, [{{timeout, b}, infinity, b2}, {{timeout, c}, 100, c2}]}),
    timer:sleep(70),
    log(at_70ms),
    timer:sleep(80),
    cast(P, {keep_state_and_data, [{{timeout, a}, update, a_now}]}),
    timer:sleep(50),
    gen_statem:stop(P),
    flush().
