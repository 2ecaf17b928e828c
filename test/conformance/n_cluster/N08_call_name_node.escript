#!/usr/bin/env escript
%%! -sname n08_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N08
%%% title: gen_server:call to {Name, Node} is answered; to a name nobody holds there it exits with noproc
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n08"),
    name(self(), test),
    {ok, S} = erpc:call(B, gen_server, start, [{local, counter}, n_help, 41, []]),
    name(S, s),
    log("call add ~w", [gen_server:call({counter, B}, {add, 1})]),
    log("call nobody ~w", [call_reason(catch gen_server:call({nobody, B}, {add, 1}))]),
    log("call add ~w", [gen_server:call({counter, B}, {add, 1})]),
    log_mailbox(200),
    peer:stop(Peer).

call_reason({'EXIT', {Reason, {gen_server, call, _}}}) -> Reason.
