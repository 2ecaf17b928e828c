#!/usr/bin/env escript
%%! -sname n01_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N01
%%% title: messages from a process on another OS process arrive in order, and its exit signal after them
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n01"),
    name(self(), test),
    process_flag(trap_exit, true),
    name(spawn_link(B, n_help, sender, [self(), 5, done]), p),
    log_mailbox(500),
    peer:stop(Peer).
