#!/usr/bin/env escript
%%! -sname m15_a
%%% id: M15
%%% title: after unlink, a remote process's exit no longer arrives over the link; a monitor still reports it
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m15"),
    name(self(), test),
    process_flag(trap_exit, true),
    P = puppet(B, p),
    link(P),
    unlink(P),
    name(monitor(process, P), m),
    P ! {do, self(), {exit, boom}},
    log_mailbox(500),
    peer:stop(Peer).
