#!/usr/bin/env escript
%%! -sname m17_a
%%% id: M17
%%% title: monitor_node on the caller's own node returns true and delivers nothing
-include("m.hrl").
main(_) ->
    {Peer, _B} = start_b("m17"),
    name(self(), test),
    log("monitor_node ~w", [monitor_node(node(), true)]),
    log_mailbox(500),
    log("done", []),
    peer:stop(Peer).
