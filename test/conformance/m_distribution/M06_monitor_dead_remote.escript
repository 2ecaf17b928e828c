#!/usr/bin/env escript
%%! -sname m06_a
%%% id: M06
%%% title: monitoring a remote process that has exited delivers DOWN noproc
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m06"),
    name(self(), test),
    D = name(spawn(B, m_help, exits, [gone]), d),
    log("down d ~w", [wait_down(D)]),
    name(monitor(process, D), m),
    log_mailbox(500),
    peer:stop(Peer).
