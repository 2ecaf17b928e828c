#!/usr/bin/env escript
%%! -sname m13_a
%%% id: M13
%%% title: spawning on another node a function it does not have returns a pid; the process exits with undef
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m13"),
    name(self(), test),
    {P, Ref} = spawn_monitor(B, m_help, nothing, []),
    name(P, p),
    log("pid on b ~w", [node(P) =:= B]),
    receive {'DOWN', Ref, process, P, {undef, _Stack}} -> log("down p undef", []) end,
    peer:stop(Peer).
