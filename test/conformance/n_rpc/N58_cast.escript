#!/usr/bin/env escript
%%! -sname n58_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N58
%%% title: erpc:cast returns ok at once and nothing comes back: not the result, not a crash, not a missing function or node
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n58"),
    log("cast ~w", [erpc:cast(B, nr_help, tell, [self(), hello])]),
    receive hello -> log("recv hello", []) end,
    log("cast ~w", [erpc:cast(B, nr_help, crash, [bad])]),
    log("cast ~w", [erpc:cast(B, erlang, exit, [bye])]),
    log("cast ~w", [erpc:cast(B, no_such_module, f, [])]),
    log("cast ~w", [erpc:cast(nowhere@nohost, nr_help, add, [1, 1])]),
    log_mailbox(500).
