#!/usr/bin/env escript
%%! -sname m20_a
%%% id: M20
%%% title: a monitor of {Name, Node} fires with noconnection when the connection is lost
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m20"),
    name(self(), test),
    R = puppet(B, r),
    true = do(R, {register, db}),
    name(monitor(process, {db, B}), m),
    monitor_node(B, true),
    true = erlang:disconnect_node(B),
    log_mailbox(500),
    peer:stop(Peer).
