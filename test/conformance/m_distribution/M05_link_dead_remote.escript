#!/usr/bin/env escript
%%! -sname m05_a
%%% id: M05
%%% title: linking to a remote process that has exited returns true, then an exit signal noproc arrives (it kills a non-trapping caller)
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m05"),
    name(self(), test),
    D = name(spawn(B, m_help, exits, [gone]), d),
    log("down d ~w", [wait_down(D)]),
    X = puppet(node(), x),
    M = monitor(process, X),
    X ! {do, spawn(fun() -> receive _ -> ok end end), {link, D}}, % its answer races with its death: sent elsewhere
    receive {'DOWN', M, process, _, R} -> log("down x ~w", [R]) end,
    process_flag(trap_exit, true),
    log("test link ~w", [link(D)]),
    log_mailbox(500),
    peer:stop(Peer).
