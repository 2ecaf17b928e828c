#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O04
%%% title: a format_status that crashes: get_status still answers and shows the crash in place of the state; the server goes on
-include("o.hrl").
main(_) ->
    P = start_srv(secret, [crash_format]),
    log("status state ~w", [lists:last(status(P))]),
    log("alive ~w", [is_process_alive(P)]),
    log("call get ~w", [gen_server:call(P, get)]).
