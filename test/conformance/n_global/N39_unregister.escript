#!/usr/bin/env escript
%%! -sname n39_a
%%% id: N39
%%% title: unregister_name from a removes a name of a process of b on both nodes; the process lives; the name is free again
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n39"),
    name(self(), test),
    P = puppet(B, p),
    log("register ~w", [do(P, {register, svc})]),
    log("unregister ~w", [global:unregister_name(svc)]),
    log("whereis at a ~w, at b ~w", [global:whereis_name(svc), erpc:call(B, global, whereis_name, [svc])]),
    log("unregister again ~w", [global:unregister_name(svc)]),
    log("register again ~w", [global:register_name(svc, P)]),
    log("whereis at b ~w", [erpc:call(B, global, whereis_name, [svc])]),
    peer:stop(Peer).
