#!/usr/bin/env escript
%%! -sname n07_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N07
%%% title: a send to {Name, Node} reaches the process registered there; to a name nobody holds, or on a node that is not there, it is dropped silently
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n07"),
    name(self(), test),
    P = puppet(B, p),
    log("register ~w", [do(P, {register, inbox})]),
    log("send nobody ~w", [{nobody, B} ! lost]),
    [_, Host] = string:split(atom_to_list(node()), "@"),
    Nowhere = list_to_atom("n07_nowhere@" ++ Host),
    put({node_name, Nowhere}, nowhere),
    log("send nowhere ~w", [{inbox, Nowhere} ! lost]),
    log("send inbox ~w", [{inbox, B} ! found]),
    log("p mailbox ~w", [do(P, mailbox)]),
    log_mailbox(200),
    peer:stop(Peer).
