#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O10
%%% title: gen_server:stop reaches a suspended server (a system message): terminate runs, queued messages are never handled
-include("o.hrl").
main(_) ->
    P = start_srv(1, []),
    sys:suspend(P),
    P ! a,
    log("stop ~w", [gen_server:stop(P)]),
    log("alive ~w", [is_process_alive(P)]).
