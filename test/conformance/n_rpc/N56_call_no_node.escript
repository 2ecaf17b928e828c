#!/usr/bin/env escript
%%! -sname n56_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N56
%%% title: a call to a node that is not there raises error {erpc, noconnection}
-include("nr.hrl").
main(_) ->
    load_help(),
    call("nowhere", nowhere@nohost, nr_help, add, [1, 1]),
    log("nodes ~w", [nodes()]).
