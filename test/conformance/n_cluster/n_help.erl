%% Code the N scenarios run on node b (and a): a process there runs only code b has.
-module(n_help).
-export([puppet/0, sender/3, tagged/3, stream/2, exits/1, crash/1, act/1]).
%% A counter gen_server (started on b as `counter`).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).

%% A process that runs actions sent as {do, From, Action} and answers {done, self(), Result}.
puppet() ->
    receive
        {do, _From, {exit, Reason}} -> exit(Reason);    % the puppet itself exits
        {do, _From, {crash, Reason}} -> error(Reason);  % the puppet crashes
        {do, From, Action} ->
            Result = try act(Action) catch Class:Reason -> {Class, Reason} end,
            From ! {done, self(), Result},
            puppet()
    end.

act({link, P}) -> link(P);
act({monitor, P}) -> monitor(process, P);
act({monitor_node, N}) -> monitor_node(N, true);
act({trap, B}) -> process_flag(trap_exit, B);
act({exit, P, R}) -> exit(P, R);
act({send, To, M}) -> To ! M, ok;
act({register, N}) -> register(N, self());
act({all, Actions}) -> [act(A) || A <- Actions];
act({relay_puppet, Node, To}) -> To ! {relayed, spawn(Node, ?MODULE, puppet, [])}, ok;
act(mailbox) -> flush().

flush() -> receive M -> [M | flush()] after 0 -> [] end.

%% Sends 1..N to To, then exits with Reason.
sender(To, N, Reason) ->
    [To ! I || I <- lists:seq(1, N)],
    exit(Reason).

%% Sends {Tag, 1}..{Tag, N} to To, then exits normally.
tagged(To, Tag, N) -> [To ! {Tag, I} || I <- lists:seq(1, N)], ok.

%% Sends N, N + 1, ... to To, for ever.
stream(To, N) -> To ! N, stream(To, N + 1).

exits(Reason) -> exit(Reason).

%% Crashes (an error, with a stack) with Reason.
crash(Reason) -> error(Reason).

init(N) -> {ok, N}.
handle_call({add, By}, _From, N) -> {reply, N + By, N + By};
handle_call(hold, _From, N) -> {noreply, N}; % a call it never answers
handle_call({sleep, Ms}, _From, N) -> timer:sleep(Ms), {reply, slept, N}.
handle_cast(_Msg, N) -> {noreply, N}.
