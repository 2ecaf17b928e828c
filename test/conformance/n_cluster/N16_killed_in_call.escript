#!/usr/bin/env escript
%%! -sname n16_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N16
%%% title: the other node killed during a call to it, and a non-trapping local process linked to a process there: the call exits with nodedown, the process dies with noconnection
-include("n.hrl").
main(_) ->
    {_Peer, B} = start_b("n16"),
    Test = name(self(), test),
    R = puppet(B, r),
    L = puppet(node(), l),
    log("l link ~w", [do(L, {link, R})]),
    name(monitor(process, L), ml),
    {ok, S} = erpc:call(B, gen_server, start, [{local, held}, n_help, 0, []]),
    name(S, s),
    name(spawn(fun() -> Test ! {call, catch gen_server:call({held, B}, hold, infinity)} end), caller),
    timer:sleep(200), % the call is on its way
    signal(os_pid(B), "KILL"),
    receive {'DOWN', _, process, L, _} = D -> log("recv ~w", [D]) end,
    receive {call, {'EXIT', {Reason, {gen_server, call, _}}}} -> log("call ~w", [Reason]) end,
    log_mailbox(500).
