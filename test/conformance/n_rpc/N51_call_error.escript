#!/usr/bin/env escript
%%! -sname n51_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N51
%%% title: the function raises an error: erpc:call raises error {exception, Reason, Stack}
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n51"),
    call("crash", B, nr_help, crash, [bad]),
    call("badarith", B, erlang, '/', [1, 0]).
