#!/usr/bin/env escript
%%! -sname m12_a
%%% id: M12
%%% title: monitor_node on a node that is not there delivers nodedown at once, once per call
-include("m.hrl").
main(_) ->
    {Peer, _B} = start_b("m12"),
    name(self(), test),
    [_, Host] = string:split(atom_to_list(node()), "@"),
    Nowhere = list_to_atom("m12_nowhere@" ++ Host),
    put({node_name, Nowhere}, nowhere),
    log("monitor_node ~w", [monitor_node(Nowhere, true)]),
    log("monitor_node ~w", [monitor_node(Nowhere, true)]),
    log_mailbox(500),
    peer:stop(Peer).
