%% Shared harness of the N (global names) scenarios: starts a second node `b` as a peer of the
%% scenario's node `a`, and prints one event per line with pids and node names replaced by the
%% names the scenario gave them (see README.md).
-mode(compile).
-compile(nowarn_unused_function).

%% Starts node b (an `erl -sname` peer controlled over stdio, so that it can be reached while
%% disconnected from a) and returns {Peer, Node}.
start_b(Tag) ->
    %% global's reports (a second name refused, a clash resolved) carry timestamps: not traced.
    ok = logger:set_primary_config(level, none),
    {ok, Peer, Node} = peer:start(#{name => list_to_atom(Tag ++ "_b" ++ os:getpid()), connection => standard_io,
                                    args => ["-kernel", "logger_level", "none"]}),
    put({node_name, Node}, b),
    put({node_name, node()}, a),
    load_help(Peer),
    %% Connected, and the name servers' first exchange done: global syncs new nodes in the background.
    true = net_kernel:connect_node(Node),
    ok = global:sync(),
    ok = peer:call(Peer, global, sync, []),
    {Peer, Node}.

%% Compiles n_help.erl (next to the scenario) and loads it here and on the peer (over stdio:
%% loading it does not connect the nodes).
load_help(Peer) ->
    Dir = filename:dirname(escript:script_name()),
    {ok, n_help, Bin} = compile:file(filename:join(Dir, "n_help.erl"), [binary]),
    {module, n_help} = code:load_binary(n_help, "n_help.erl", Bin),
    {module, n_help} = peer:call(Peer, code, load_binary, [n_help, "n_help.erl", Bin]),
    ok.

%% A puppet process on Node, named Name in the trace.
puppet(Node, Name) -> name(spawn(Node, n_help, puppet, []), Name).

%% Makes puppet P run Action and returns its result.
do(P, Action) ->
    P ! {do, self(), Action},
    receive {done, P, R} -> R end.

name(Term, Name) when is_pid(Term) -> put({pid_name, Term}, Name), Term.

clean(T) when is_pid(T) -> case get({pid_name, T}) of undefined -> '<pid>'; N -> N end;
clean(T) when is_reference(T) -> '<ref>';
clean(T) when is_atom(T) -> case get({node_name, T}) of undefined -> T; N -> N end;
clean([H | T]) -> [clean(H) | clean(T)];
clean(T) when is_tuple(T) -> list_to_tuple(clean(tuple_to_list(T)));
clean(T) -> T.

log(Format, Args) -> io:format(Format ++ "~n", [clean(A) || A <- Args]).

%% Every message in the mailbox, taken, oldest first; waits `Ms` for stragglers.
flush(Ms) -> receive M -> [M | flush(Ms)] after Ms -> [] end.

%% Waits until Pid (on any node) has exited, via a monitor; returns its reason.
wait_down(Pid) ->
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, process, _, R} -> R end.

%% Polls Fun until it returns Want, up to 2 s (the name servers act on DOWN messages in their own time).
until(Fun, Want) -> until(Fun, Want, 200).
until(Fun, _Want, 0) -> Fun();
until(Fun, Want, N) ->
    case Fun() of
        Want -> Want;
        _ -> timer:sleep(10), until(Fun, Want, N - 1)
    end.

%% A partition: a drops b and waits until b has seen it too.
partition(Peer, B) ->
    true = erlang:disconnect_node(B),
    [] = until(fun() -> peer:call(Peer, erlang, nodes, []) end, []),
    ok.

%% The heal: a connects to b again, and both name servers finish their exchange.
heal(Peer, B) ->
    true = net_kernel:connect_node(B),
    ok = global:sync(),
    ok = peer:call(Peer, global, sync, []),
    ok.
