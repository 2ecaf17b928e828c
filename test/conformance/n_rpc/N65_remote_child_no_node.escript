#!/usr/bin/env escript
%%! -sname n65_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N65
%%% title: a supervisor started with its child on a node that is not there: the start fails with noconnection
-include("nr.hrl").
main(_) ->
    load_help(),
    process_flag(trap_exit, true),
    log("start ~w", [supervisor:start_link(nr_help, {sup, nowhere@nohost, permanent})]),
    log_mailbox(200).
