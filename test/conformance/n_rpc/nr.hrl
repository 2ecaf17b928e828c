%% Shared harness of the N50-N69 scenarios (remote calls and remote children). The escript is node
%% `a`; `start_b/1` starts node `b` as another OS process (`erl -sname`, through OTP's `peer`
%% module, controlled over stdio). Both nodes run with net_ticktime 2 s, so that the loss cases
%% finish fast. Events are printed one a line, with pids and node names replaced by the names the
%% scenario gave them, and a stack trace by the atom `stack`.
-mode(compile).
-compile(nowarn_unused_function).

%% Starts node b, loads nr_help here and there, and returns {Peer, Node}.
start_b(Tag) ->
    %% A fresh name per run, so that a b of an earlier run still leaving epmd is no obstacle.
    Name = list_to_atom(Tag ++ "_b" ++ os:getpid()),
    {ok, Peer, Node} = peer:start(#{name => Name, connection => standard_io,
                                    args => ["-kernel", "logger_level", "none", "-kernel", "net_ticktime", "2"]}),
    put({node_name, Node}, b),
    Bin = load_help(),
    {module, nr_help} = erpc:call(Node, code, load_binary, [nr_help, "nr_help.erl", Bin]),
    {Peer, Node}.

%% Compiles nr_help.erl (next to the scenario) and loads it on this node, a; returns its code.
load_help() ->
    put({node_name, node()}, a),
    Dir = filename:dirname(escript:script_name()),
    {ok, nr_help, Bin} = compile:file(filename:join(Dir, "nr_help.erl"), [binary]),
    {module, nr_help} = code:load_binary(nr_help, "nr_help.erl", Bin),
    Bin.

%% Kills Node's OS process with SIGKILL.
kill_node(Node) ->
    OsPid = erpc:call(Node, os, getpid, []),
    os:cmd("kill -KILL " ++ OsPid),
    ok.

name(Pid, Name) -> put({pid_name, Pid}, Name), Pid.

clean(T) when is_pid(T) -> case get({pid_name, T}) of undefined -> '<pid>'; N -> N end;
clean(T) when is_reference(T) -> '<ref>';
clean(T) when is_atom(T) -> case get({node_name, T}) of undefined -> T; N -> N end;
clean({exception, Reason, [{_, _, _, _} | _]}) -> {exception, clean(Reason), stack};
clean({Reason, [{_, _, _, _} | _]}) -> {clean(Reason), stack};
clean([H | T]) -> [clean(H) | clean(T)];
clean(T) when is_tuple(T) -> list_to_tuple(clean(tuple_to_list(T)));
clean(T) -> T.

log(Format, Args) -> io:format(Format ++ "~n", [clean(A) || A <- Args]).

%% An erpc:call, its outcome printed as `Class Value` (`ok Value` for a result).
call(What, Node, M, F, A) -> call(What, Node, M, F, A, infinity).
call(What, Node, M, F, A, Timeout) ->
    try erpc:call(Node, M, F, A, Timeout) of
        V -> log("~s ok ~w", [What, V])
    catch
        Class:Reason -> log("~s ~w ~w", [What, Class, Reason])
    end.

%% Every message in the mailbox, taken, oldest first; waits `Ms` for stragglers.
flush(Ms) -> receive M -> [M | flush(Ms)] after Ms -> [] end.

log_mailbox(Ms) -> log("mailbox ~w", [flush(Ms)]).
