#!/usr/bin/env escript
%%! -sname n68_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N68
%%% title: a caller that traps exits: failed calls (an error, an exit signal, a timeout) leave nothing in its mailbox
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n68"),
    process_flag(trap_exit, true),
    call("crash", B, nr_help, crash, [bad]),
    call("killed", B, nr_help, killed_by, [kill]),
    call("slow", B, timer, sleep, [300], 50),
    call("add", B, nr_help, add, [1, 2]),
    log_mailbox(500).
