#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O03
%%% title: get_status: module, running, parent (itself when not linked, the starter when linked), state through format_status
-include("o.hrl").
main(_) ->
    name(self(), test),
    P = start_srv(secret, [hide]),
    [log("status ~w", [I]) || I <- status(P)],
    Q = name(element(2, gen_server:start_link(?MODULE, {plain, []}, [])), linked),
    [log("linked status ~w", [I]) || I <- status(Q)].
