#!/usr/bin/env escript
%%! -sname m01_a
%%% id: M01
%%% title: messages from a remote process arrive in order, and its exit signal after them
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m01"),
    name(self(), test),
    process_flag(trap_exit, true),
    name(spawn_link(B, m_help, sender, [self(), 5, done]), p),
    log_mailbox(500),
    peer:stop(Peer).
