#!/usr/bin/env escript
%%! -sname n32_a
%%% id: N32
%%% title: send to a name nobody holds exits badarg with the name and the message; whereis_name is undefined
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n32"),
    name(self(), test),
    log("whereis ~w", [global:whereis_name(nobody)]),
    log("send ~w", [catch global:send(nobody, hello)]),
    _ = B,
    peer:stop(Peer).
