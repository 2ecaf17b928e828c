#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O18
%%% title: trace events of a continue (out, then a continue event, then noreply with its state) and of an idle timeout (in timeout, then noreply)
-include("o.hrl").
main(_) ->
    P = start_srv(0, [{timeout, 200}]),
    log_events(P),
    gen_server:call(P, {continue, 1}),
    timer:sleep(300), % the timeout fires at 200 ms, and would again at 400
    log("get_state ~w", [sys:get_state(P)]).
