#!/usr/bin/env escript
%%% id: K09
%%% title: stop_and_reply sends its replies before terminate runs; terminate gets the reason, the state and the new data
-module(k09).
-include("k.hrl").
main(_) ->
    {ok, P} = start(#{}),
    Ref = monitor(process, P),
    %% The reply and terminate's trace both come from the machine to this process: their order is the machine's.
    P ! {'$gen_call', {self(), make_ref()}, {do, fun(F) -> {stop_and_reply, bye, [{reply, F, see_you}], 9} end}},
    receive {'DOWN', Ref, process, P, Reason} -> ok end,
    flush(),
    io:format("~p~n", [{down, Reason}]).
