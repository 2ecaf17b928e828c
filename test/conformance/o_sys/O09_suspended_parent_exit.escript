#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O09
%%% title: the parent's EXIT ends a suspended server that traps exits: terminate runs with the parent's reason
-include("o.hrl").
main(_) ->
    Self = self(),
    Parent = name(spawn(fun() ->
        P = start_link_srv(1, [trap_exit]),
        Self ! {srv, P},
        receive go -> exit(going) end
    end), parent),
    P = receive {srv, S} -> name(S, srv) end,
    sys:suspend(P),
    P ! a,
    R = monitor(process, P),
    Parent ! go,
    receive {'DOWN', R, process, _, Reason} -> log("down ~w", [Reason]) end.
