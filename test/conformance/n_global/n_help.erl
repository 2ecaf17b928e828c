%% Helper processes for the N global-name scenarios, loaded on both nodes (code that runs on the
%% other node must be named by module there, as in ts-otp).
-module(n_help).
-export([puppet/0, act/1, sink/1, watch/1, keep_other/3]).
%% A counter gen_server (N38).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).

%% A process that runs actions sent as {do, From, Action} and answers {done, self(), Result}.
puppet() ->
    receive
        {do, _From, {exit, Reason}} ->
            exit(Reason);
        {do, From, Action} ->
            Result = try act(Action) catch Class:Reason -> {Class, Reason} end,
            From ! {done, self(), Result},
            puppet()
    end.

act(mailbox) -> flush();
act({register, Name}) -> global:register_name(Name, self());
act({register, Name, Method}) -> global:register_name(Name, self(), Method);
act({whereis, Name}) -> global:whereis_name(Name);
act(registered) -> lists:sort(global:registered_names());
act(sync) -> global:sync().

flush() -> receive M -> [M | flush()] after 0 -> [] end.

%% Starts a puppet here, registered globally as Name with Method (from this node only: for a
%% partition, where the caller reaches this node over the peer's stdio); returns {Pid, Answer}.
sink({Name, Method}) ->
    P = spawn(fun puppet/0),
    {P, global:register_name(Name, P, Method)}.

%% Watches Pid from this node; its exit reason is kept in persistent_term n_down.
watch(Pid) ->
    spawn(fun() ->
                  Ref = monitor(process, Pid),
                  receive {'DOWN', Ref, process, _, R} -> persistent_term:put(n_down, R) end
          end),
    ok.

%% A resolve method: keeps the pid of the other side (Pid1), and tells `test` where it ran.
keep_other(Name, Pid1, Pid2) ->
    test ! {resolved, node(), Name, Pid1, Pid2},
    Pid1.

init(N) -> {ok, N}.
handle_call({add, By}, _From, N) -> {reply, N + By, N + By}.
handle_cast(_Msg, N) -> {noreply, N}.
