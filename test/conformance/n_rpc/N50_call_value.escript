#!/usr/bin/env escript
%%! -sname n50_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N50
%%% title: erpc:call returns the function's result, computed on the other node
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n50"),
    call("add", B, nr_help, add, [2, 40]),
    call("node", B, erlang, node, []),
    call("list", B, lists, reverse, [[1, 2, 3]]).
