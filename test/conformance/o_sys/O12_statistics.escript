#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O12
%%% title: statistics: off gives no_statistics; on counts calls, casts and infos in, replies out, system requests in neither; off again
-include("o.hrl").
main(_) ->
    P = start_srv(0, []),
    log("get ~w", [sys:statistics(P, get)]),
    log("on ~w", [sys:statistics(P, true)]),
    gen_server:call(P, get),
    gen_server:cast(P, {set, 1}),
    P ! hello,
    sys:get_state(P),
    sys:get_status(P),
    {ok, Stats} = sys:statistics(P, get),
    log("in ~w out ~w", [proplists:get_value(messages_in, Stats), proplists:get_value(messages_out, Stats)]),
    log("keys ~w", [[K || {K, _} <- Stats]]),
    log("on again ~w", [sys:statistics(P, true)]),
    {ok, Again} = sys:statistics(P, get),
    log("in ~w out ~w", [proplists:get_value(messages_in, Again), proplists:get_value(messages_out, Again)]),
    log("off ~w", [sys:statistics(P, false)]),
    log("get ~w", [sys:statistics(P, get)]).
