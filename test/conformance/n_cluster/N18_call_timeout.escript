#!/usr/bin/env escript
%%! -sname n18_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N18
%%% title: gen_server:call to {Name, Node} with a timeout the server overruns: the call exits with timeout, the late reply never reaches the caller, the server lives on
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n18"),
    name(self(), test),
    {ok, S} = erpc:call(B, gen_server, start, [{local, sleepy}, n_help, 0, []]),
    name(S, s),
    log("call ~w", [call_reason(catch gen_server:call({sleepy, B}, {sleep, 600}, 200))]),
    log_mailbox(800),
    log("call add ~w", [gen_server:call({sleepy, B}, {add, 1})]),
    log_mailbox(200),
    peer:stop(Peer).

call_reason({'EXIT', {Reason, {gen_server, call, _}}}) -> Reason.
