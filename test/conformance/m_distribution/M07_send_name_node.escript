#!/usr/bin/env escript
%%! -sname m07_a
%%% id: M07
%%% title: {Name, Node} ! Msg reaches a name registered on the other node, and is dropped silently for a name nobody holds
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m07"),
    name(self(), test),
    P = puppet(B, p),
    true = do(P, {register, inbox}),
    log("send unregistered ~w", [catch ({nobody, B} ! lost)]),
    {inbox, B} ! found,
    log("p mailbox ~w", [do(P, mailbox)]),
    peer:stop(Peer).
