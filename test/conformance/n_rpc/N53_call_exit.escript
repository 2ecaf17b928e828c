#!/usr/bin/env escript
%%! -sname n53_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N53
%%% title: the function exits: erpc:call raises exit {exception, Reason}, normal included
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n53"),
    call("exit", B, erlang, exit, [bye]),
    call("exit", B, erlang, exit, [normal]).
