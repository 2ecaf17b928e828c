#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O15
%%% title: a system request leaves the idle timeout armed, restarted from the request: it still fires
-include("o.hrl").
main(_) ->
    P = start_srv(1, [{timeout, 300}]),
    timer:sleep(200),
    sys:get_state(P),
    timer:sleep(200),
    log("400 ms, no timeout yet"),
    timer:sleep(200),
    log("600 ms"),
    timer:sleep(200),
    log("800 ms"),
    ok.
