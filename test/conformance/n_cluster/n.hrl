%% Shared harness of the N (cluster) scenarios. The escript is node `a`; `start_b/1` starts node
%% `b` as another OS process (`erl -sname`, through OTP's `peer` module, controlled over stdio so
%% that a disconnect leaves it running). Both nodes run with net_ticktime 2 s, so that the loss
%% cases finish fast. Events are printed one a line, with pids, refs and node names replaced by
%% the names the scenario gave them, and a crash's stack by the atom `stack`.
-mode(compile).
-compile(nowarn_unused_function).

%% The heartbeat period of both nodes, in seconds (a's comes from the escript's `%%!` line).
-define(TICK, "2").

%% Starts node b, loads n_help there, and returns {Peer, Node}.
start_b(Tag) ->
    %% A fresh name per run, so that a b of an earlier run still leaving epmd is no obstacle.
    start_b(Tag, list_to_atom(Tag ++ "_b" ++ os:getpid())).

%% Starts node b under the name `Name` (a second incarnation when an earlier b had it).
start_b(_Tag, Name) -> start_peer(Name, b).

%% Starts a third node, c.
start_c(Tag) -> start_peer(list_to_atom(Tag ++ "_c" ++ os:getpid()), c).

%% Starts a node called Name, shown as As in the trace, and loads n_help there.
start_peer(Name, As) ->
    {ok, Peer, Node} = peer:start(#{name => Name, connection => standard_io,
                                    args => ["-kernel", "logger_level", "none", "-kernel", "net_ticktime", ?TICK]}),
    put({node_name, Node}, As),
    put({node_name, node()}, a),
    load_help(Node),
    {Peer, Node}.

%% Compiles n_help.erl (next to the scenario) and loads it here and on Node.
load_help(Node) ->
    Dir = filename:dirname(escript:script_name()),
    {ok, n_help, Bin} = compile:file(filename:join(Dir, "n_help.erl"), [binary]),
    {module, n_help} = code:load_binary(n_help, "n_help.erl", Bin),
    {module, n_help} = erpc:call(Node, code, load_binary, [n_help, "n_help.erl", Bin]),
    ok.

%% The OS process id of Node's emulator.
os_pid(Node) -> erpc:call(Node, os, getpid, []).

%% Sends Signal (KILL, STOP, CONT) to Node's OS process.
signal(OsPid, Signal) -> os:cmd("kill -" ++ Signal ++ " " ++ OsPid), ok.

%% A puppet process on Node (see n_help), named Name in the trace.
puppet(Node, Name) -> name(spawn(Node, n_help, puppet, []), Name).

%% Makes puppet P run Action and returns its result.
do(P, Action) ->
    P ! {do, self(), Action},
    receive {done, P, R} -> R end.

name(Term, Name) when is_pid(Term) -> put({pid_name, Term}, Name), Term;
name(Term, Name) when is_reference(Term) -> put({ref_name, Term}, Name), Term.

clean(T) when is_pid(T) -> case get({pid_name, T}) of undefined -> '<pid>'; N -> N end;
clean(T) when is_reference(T) -> case get({ref_name, T}) of undefined -> '<ref>'; N -> N end;
clean(T) when is_atom(T) -> case get({node_name, T}) of undefined -> T; N -> N end;
clean({Reason, [{_, _, _, _} | _]}) -> {clean(Reason), stack}; % a crash: its stack is not stable
clean([H | T]) -> [clean(H) | clean(T)];
clean(T) when is_tuple(T) -> list_to_tuple(clean(tuple_to_list(T)));
clean(T) -> T.

log(Format, Args) -> io:format(Format ++ "~n", [clean(A) || A <- Args]).

%% Every message in the mailbox, taken, oldest first; waits `Ms` for stragglers.
flush(Ms) -> receive M -> [M | flush(Ms)] after Ms -> [] end.

%% Logs each message of the mailbox as `recv M`.
log_mailbox(Ms) -> [log("recv ~w", [M]) || M <- flush(Ms)], ok.

%% Logs each message as `recv M` until a nodedown (included).
log_until_nodedown() ->
    receive
        M ->
            log("recv ~w", [M]),
            case M of {nodedown, _} -> ok; _ -> log_until_nodedown() end
    end.
