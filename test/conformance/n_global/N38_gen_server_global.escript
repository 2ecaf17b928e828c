#!/usr/bin/env escript
%%! -sname n38_a
%%% id: N38
%%% title: a gen_server named {global, counter} started on b: called from a; a second start from a is already_started
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n38"),
    name(self(), test),
    {ok, C} = erpc:call(B, gen_server, start, [{global, counter}, n_help, 0, []]),
    name(C, c),
    log("whereis at a ~w", [global:whereis_name(counter)]),
    log("call from a ~w", [gen_server:call({global, counter}, {add, 2})]),
    log("call from a ~w", [gen_server:call({global, counter}, {add, 3})]),
    log("start again from a ~w", [gen_server:start({global, counter}, n_help, 0, [])]),
    log("stop ~w", [gen_server:stop({global, counter})]),
    log("whereis ~w", [until(fun() -> global:whereis_name(counter) end, undefined)]),
    log("call after stop ~w", [catch gen_server:call({global, counter}, {add, 1})]),
    peer:stop(Peer).
