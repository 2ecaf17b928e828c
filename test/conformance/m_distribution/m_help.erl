%% Helper processes for the M scenarios, loaded on both nodes (funs of an escript cannot run on
%% another node, as in ts-otp functions cannot cross threads: code is named by module).
-module(m_help).
-export([puppet/0, sender/3, exits/1, act/1]).
%% A counter gen_server (M19): get, add and a call it never answers.
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).

%% A process that runs actions sent as {do, From, Action} and answers {done, self(), Result}.
puppet() ->
    receive
        {do, _From, {exit, Reason}} ->
            exit(Reason); % not caught: the puppet exits
        {do, From, Action} ->
            Result = try act(Action) catch Class:Reason -> {Class, Reason} end,
            From ! {done, self(), Result},
            puppet()
    end.

act({link, P}) -> link(P);
act({unlink, P}) -> unlink(P);
act({monitor, P}) -> monitor(process, P);
act({demonitor, R}) -> demonitor(R);
act({trap, B}) -> process_flag(trap_exit, B);
act({exit, P, R}) -> exit(P, R);
act({send, To, M}) -> To ! M, ok;
act({register, N}) -> register(N, self());
act(mailbox) -> flush().

flush() -> receive M -> [M | flush()] after 0 -> [] end.

%% Sends 1..N to To, then exits with Reason.
sender(To, N, Reason) ->
    [To ! I || I <- lists:seq(1, N)],
    exit(Reason).

exits(Reason) -> exit(Reason).

init(N) -> {ok, N}.
handle_call(get, _From, N) -> {reply, N, N};
handle_call({add, By}, _From, N) -> {reply, N + By, N + By};
handle_call(hold, _From, N) -> {noreply, N};
handle_call({stop, Reason}, _From, N) -> {stop, Reason, N}.
handle_cast(_Msg, N) -> {noreply, N}.
