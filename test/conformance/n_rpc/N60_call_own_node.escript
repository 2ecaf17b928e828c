#!/usr/bin/env escript
%%! -sname n60_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N60
%%% title: erpc:call to the caller's own node runs the same way
-include("nr.hrl").
main(_) ->
    {_Peer, _B} = start_b("n60"),
    call("add", node(), nr_help, add, [1, 1]),
    call("crash", node(), nr_help, crash, [here]),
    call("nomod", node(), no_such_module, f, []).
