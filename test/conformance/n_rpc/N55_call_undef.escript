#!/usr/bin/env escript
%%! -sname n55_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N55
%%% title: a module or function that the other node does not have: erpc:call raises error {exception, undef, Stack}
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n55"),
    call("nomod", B, no_such_module, f, []),
    call("nofun", B, nr_help, no_such_function, [1]).
