#!/usr/bin/env escript
%%! -sname n15_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N15
%%% title: two remote senders, 1000 messages each: each one's messages arrive complete and in its order, whatever the interleaving
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n15"),
    name(self(), test),
    process_flag(trap_exit, true),
    name(spawn_link(B, n_help, tagged, [self(), p, 1000]), p),
    name(spawn_link(B, n_help, tagged, [self(), q, 1000]), q),
    {Got, Exits} = collect(2, [], []),
    [log("~w got ~w in order ~w", [T, length(Ns), Ns =:= lists:seq(1, 1000)]) || T <- [p, q], Ns <- [[N || {T2, N} <- Got, T2 =:= T]]],
    log("exits ~w", [lists:sort(Exits)]),
    log_mailbox(200),
    peer:stop(Peer).

%% Every message until `Left` EXITs, oldest first, and the EXITs.
collect(0, Got, Exits) -> {lists:reverse(Got), Exits};
collect(Left, Got, Exits) ->
    receive
        {'EXIT', _, _} = E -> collect(Left - 1, Got, [clean(E) | Exits]);
        M -> collect(Left, [M | Got], Exits)
    end.
