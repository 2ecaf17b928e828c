%% Shared harness of the M (distribution) scenarios: starts a second node `b` as a peer of the
%% scenario's node `a`, and prints one event per line with pids, refs and node names replaced by
%% the names the scenario gave them (see README.md).
-mode(compile).
-compile(nowarn_unused_function).

%% Starts node b (an `erl -sname` peer controlled over stdio, so that disconnecting it from a
%% leaves it running) and returns {Peer, Node}.
start_b(Tag) ->
    %% A name of its own per run: a b of the previous run may still be leaving epmd.
    {ok, Peer, Node} = peer:start(#{name => list_to_atom(Tag ++ "_b" ++ os:getpid()), connection => standard_io,
                                    args => ["-kernel", "logger_level", "none"]}),
    put({node_name, Node}, b),
    put({node_name, node()}, a),
    load_help(Node),
    {Peer, Node}.

%% Compiles m_help.erl (next to the scenario) and loads it here and on Node.
load_help(Node) ->
    Dir = filename:dirname(escript:script_name()),
    {ok, m_help, Bin} = compile:file(filename:join(Dir, "m_help.erl"), [binary]),
    {module, m_help} = code:load_binary(m_help, "m_help.erl", Bin),
    {module, m_help} = erpc:call(Node, code, load_binary, [m_help, "m_help.erl", Bin]),
    ok.

%% A puppet process on Node (see m_help), named Name in the trace.
puppet(Node, Name) -> name(spawn(Node, m_help, puppet, []), Name).

%% Makes puppet P run Action and returns its result.
do(P, Action) ->
    P ! {do, self(), Action},
    receive {done, P, R} -> R end.

name(Term, Name) when is_pid(Term) -> put({pid_name, Term}, Name), Term;
name(Term, Name) when is_reference(Term) -> put({ref_name, Term}, Name), Term.

clean(T) when is_pid(T) -> case get({pid_name, T}) of undefined -> '<pid>'; N -> N end;
clean(T) when is_reference(T) -> case get({ref_name, T}) of undefined -> '<ref>'; N -> N end;
clean(T) when is_atom(T) -> case get({node_name, T}) of undefined -> T; N -> N end;
clean([H | T]) -> [clean(H) | clean(T)];
clean(T) when is_tuple(T) -> list_to_tuple(clean(tuple_to_list(T)));
clean(T) -> T.

log(Format, Args) -> io:format(Format ++ "~n", [clean(A) || A <- Args]).

%% Every message in the mailbox, taken, oldest first; waits `Ms` for stragglers.
flush(Ms) -> receive M -> [M | flush(Ms)] after Ms -> [] end.

%% Logs each message of the mailbox as `recv M`.
log_mailbox(Ms) -> [log("recv ~w", [M]) || M <- flush(Ms)], ok.

%% Waits until Pid (on any node) has exited, via a monitor; returns its reason.
wait_down(Pid) ->
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, process, _, R} -> R end.

%% Logs each message as `recv M` until a nodedown (included).
log_until_nodedown() ->
    receive
        M ->
            log("recv ~w", [M]),
            case M of {nodedown, _} -> ok; _ -> log_until_nodedown() end
    end.
