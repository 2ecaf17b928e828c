#!/usr/bin/env escript
%%! -sname m14_a
%%% id: M14
%%% title: spawn_link on another node is atomic: a child that exits at once still delivers its exit
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m14"),
    name(self(), test),
    process_flag(trap_exit, true),
    name(spawn_link(B, m_help, exits, [early]), c),
    log_mailbox(500),
    peer:stop(Peer).
