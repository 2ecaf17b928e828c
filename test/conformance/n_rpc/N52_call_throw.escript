#!/usr/bin/env escript
%%! -sname n52_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N52
%%% title: the function throws: erpc:call rethrows the value
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n52"),
    call("throw", B, erlang, throw, [oops]),
    call("throw", B, erlang, throw, [{code, 7}]).
