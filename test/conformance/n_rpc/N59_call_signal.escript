#!/usr/bin/env escript
%%! -sname n59_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N59
%%% title: the function's process ended by an exit signal: erpc:call raises exit {signal, Reason}
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n59"),
    call("killed", B, nr_help, killed_by, [kill]),
    call("shutdown", B, nr_help, killed_by, [shutdown]).
