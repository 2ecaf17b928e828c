#!/usr/bin/env escript
%%! -sname m19_a
%%% id: M19
%%% title: gen_server:call to {Name, Node}: answered; a name nobody holds there exits with noproc; a server that stops in the call exits with its reason
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m19"),
    name(self(), test),
    {ok, S} = erpc:call(B, gen_server, start, [{local, db}, m_help, 41, []]),
    name(S, s),
    log("call add ~w", [gen_server:call({db, B}, {add, 1})]),
    log("call nobody ~w", [catch gen_server:call({nobody, B}, get)]),
    log("call stop ~w", [catch gen_server:call({db, B}, {stop, done})]),
    log("call after ~w", [catch gen_server:call({db, B}, get)]),
    log_mailbox(200),
    peer:stop(Peer).
