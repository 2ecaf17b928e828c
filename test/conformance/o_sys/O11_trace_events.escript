#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O11
%%% title: trace events: a call is in then out (reply, to, new state), a cast and a plain message are in then noreply; none once off
-include("o.hrl").
main(_) ->
    name(self(), test),
    P = start_srv(0, []),
    log_events(P),
    gen_server:call(P, {set, 1}),
    gen_server:cast(P, {set, 2}),
    P ! hello,
    sys:get_state(P),
    spawn(fun() -> gen_server:call(P, {later, 3}) end),
    sys:get_state(P),
    sys:no_debug(P),
    gen_server:cast(P, {set, 4}),
    log("get_state ~w", [sys:get_state(P)]).
