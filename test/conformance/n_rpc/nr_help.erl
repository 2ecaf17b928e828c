%% Code the N50-N69 scenarios run on node b (and a): a process there runs only code b has.
-module(nr_help).
-export([add/2, crash/1, sleep_then/3, tell/2, killed_by/1]).
-export([start_remote/1, server_init/1]).
%% A supervisor (on a) whose child is a gen_server on b, started by start_remote/1.
-behaviour(supervisor).
-export([init/1, handle_call/3, handle_cast/2]).

add(X, Y) -> X + Y.

%% Crashes with an error, with a stack.
crash(Reason) -> error(Reason).

%% Sleeps Ms, then tells To, and returns: the call's process lives on after a timeout.
sleep_then(To, Ms, Msg) -> timer:sleep(Ms), To ! Msg, Msg.

tell(To, Msg) -> To ! Msg, ok.

%% Waits while another process sends it an exit signal Reason.
killed_by(Reason) ->
    Self = self(),
    spawn(fun() -> exit(Self, Reason) end),
    receive after infinity -> ok end.

%% The child's start function, run by the supervisor on a: a gen_server on Node linked to the
%% supervisor, as gen_server:start_link would start it here (proc_lib's acknowledgement).
start_remote(Node) ->
    catch attempts ! {attempt, Node}, % counted where the scenario registers `attempts`
    Pid = proc_lib:spawn_link(Node, ?MODULE, server_init, [self()]),
    receive
        {ack, Pid, Ret} -> Ret;
        {'EXIT', Pid, Reason} -> {error, Reason}
    end.

server_init(Parent) ->
    proc_lib:init_ack(Parent, {ok, self()}),
    gen_server:enter_loop(?MODULE, [], 0).

init({sup, Node, Restart}) ->
    {ok, {#{strategy => one_for_one, intensity => 3, period => 10},
          [#{id => c, start => {?MODULE, start_remote, [Node]}, restart => Restart}]}}.

handle_call(where, _From, N) -> {reply, node(), N}.
handle_cast(crash, _N) -> error(boom).
