#!/usr/bin/env escript
%%! -sname n23_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N23
%%% title: the other node killed with SIGKILL while a process there streams messages: what arrives is 1..k with no gap, then the link's noconnection, and nothing after
-include("n.hrl").
main(_) ->
    {_Peer, B} = start_b("n23"),
    name(self(), test),
    process_flag(trap_exit, true),
    P = name(spawn_link(B, n_help, stream, [self(), 1]), p),
    Before = take(1000),
    signal(os_pid(B), "KILL"),
    {After, Exit} = until_exit(P, []),
    Ns = Before ++ After,
    log("got 1000 or more ~w", [length(Ns) >= 1000]),
    log("in order, no gap ~w", [Ns =:= lists:seq(1, length(Ns))]),
    log("recv ~w", [Exit]),
    log_mailbox(500).

%% The first N messages, oldest first.
take(0) -> [];
take(N) -> receive M -> [M | take(N - 1)] end.

%% Every message until P's EXIT, oldest first, and the EXIT.
until_exit(P, Acc) ->
    receive
        {'EXIT', P, _} = E -> {lists:reverse(Acc), E};
        M -> until_exit(P, [M | Acc])
    end.
