#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O06
%%% title: messages sent while suspended wait, in order, and are handled after resume; replace_state while suspended applies at once
-include("o.hrl").
main(_) ->
    P = start_srv(0, []),
    sys:suspend(P),
    P ! a,
    gen_server:cast(P, {set, 1}),
    P ! b,
    gen_server:cast(P, {set, 2}),
    log("get_state ~w", [sys:get_state(P)]),
    log("replace_state ~w", [sys:replace_state(P, fun(_) -> 100 end)]),
    log("queue ~w", [element(2, process_info(P, message_queue_len))]),
    sys:resume(P),
    log("get_state ~w", [sys:get_state(P)]).
