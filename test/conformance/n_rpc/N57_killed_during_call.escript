#!/usr/bin/env escript
%%! -sname n57_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N57
%%% title: the other node killed with SIGKILL during a call to it: erpc:call raises error {erpc, noconnection}
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n57"),
    Test = self(),
    spawn(fun() -> timer:sleep(300), kill_node(B), Test ! killed end),
    call("long", B, timer, sleep, [10000]),
    receive killed -> log("killed", []) end,
    log("nodes ~w", [nodes()]).
