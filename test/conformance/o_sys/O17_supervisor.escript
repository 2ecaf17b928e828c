#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O17
%%% title: a suspended supervisor: get_status names gen_server; a child's exit waits in its mailbox and is restarted after resume
-include("o.hrl").
main(_) ->
    {ok, Sup} = supervisor:start_link(?MODULE, sup),
    name(Sup, sup),
    [log("status ~w", [I]) || I <- lists:sublist(status(Sup), 2)],
    [{c, C, worker, _}] = supervisor:which_children(Sup),
    name(C, child),
    sys:suspend(Sup),
    R = monitor(process, C),
    exit(C, kill),
    receive {'DOWN', R, process, _, Reason} -> log("child down ~w", [Reason]) end,
    log("queue ~w", [element(2, process_info(Sup, message_queue_len))]),
    log("which_children ~w", [try_(fun() -> gen_server:call(Sup, which_children, 100) end)]),
    sys:resume(Sup),
    [{c, C2, worker, _}] = supervisor:which_children(Sup),
    log("restarted ~w", [C2 =/= C andalso is_pid(C2)]).
