%% Shared harness of the N (sys) scenarios: a gen_server `srv` run by the scenario's own module,
%% and one event per line on stdout with pids and refs replaced by the names the scenario gave
%% them (see README.md).
-mode(compile).
-compile([nowarn_unused_function, nowarn_export_all, export_all]).

%% ---- the server: its state is any term; Opts in init say how it behaves ------------------------
%% Opts: trap_exit (traps exits), {timeout, Ms} (idle timeout after init and each message),
%% hide (format_status shows {hidden, State}), crash_format (format_status crashes).
start_srv(State, Opts) -> {ok, P} = gen_server:start(?MODULE, {State, Opts}, []), name(P, srv).
start_link_srv(State, Opts) -> {ok, P} = gen_server:start_link(?MODULE, {State, Opts}, []), name(P, srv).

init(sup) -> {ok, {#{strategy => one_for_one}, [#{id => c, start => {gen_server, start_link, [?MODULE, {1, []}, []]}}]}};
init({statem, State, Data}) -> put(opts, []), {ok, State, Data};
init({State, Opts}) ->
    put(opts, Opts),
    [process_flag(trap_exit, true) || lists:member(trap_exit, Opts)],
    {ok, State, idle()}.
idle() -> proplists:get_value(timeout, get(opts), infinity).
handle_call(get, _From, S) -> {reply, S, S, idle()};
handle_call({set, V}, _From, _S) -> {reply, ok, V, idle()};
handle_call({later, V}, _From, _S) -> {noreply, V, idle()};
handle_call({continue, V}, _From, S) -> {reply, S, S, {continue, V}}.
handle_cast({set, V}, _S) -> {noreply, V, idle()}.
handle_continue(V, _S) -> log("srv continue ~w", [V]), {noreply, V, idle()}.
handle_info(M, S) -> log("srv info ~w", [M]), {noreply, S, idle()}.
terminate(R, _S) -> log("srv terminate ~w", [R]).
format_status(_Opt, [_PDict, S, D]) -> {S, D};
format_status(_Opt, [_PDict, S]) ->
    case {lists:member(hide, get(opts)), lists:member(crash_format, get(opts))} of
        {_, true} -> error(format_failed);
        {true, _} -> [{data, [{"State", {hidden, S}}]}];
        _ -> [{data, [{"State", S}]}]
    end.

%% ---- a state machine `machine` on the same module: its state is an atom, its data a count --------
start_machine(State, Data) -> {ok, P} = gen_statem:start(?MODULE, {statem, State, Data}, []), name(P, machine).
callback_mode() -> handle_event_function.
handle_event({call, From}, get, S, D) -> {keep_state_and_data, [{reply, From, {S, D}}]};
handle_event(cast, {go, S2}, _S, D) -> {next_state, S2, D + 1}.
terminate(_R, _S, _D) -> ok.

%% ---- output -----------------------------------------------------------------------------------
name(Term, Name) when is_pid(Term) -> put({pid_name, Term}, Name), Term.

clean(T) when is_pid(T) -> case get({pid_name, T}) of undefined -> '<pid>'; N -> N end;
clean(T) when is_reference(T) -> '<ref>';
clean(T) when is_function(T) -> '<fun>';
clean([H | T]) -> [clean(H) | clean(T)];
clean(T) when is_tuple(T) -> list_to_tuple(clean(tuple_to_list(T)));
clean(T) -> T.

log(Text) -> io:format(Text ++ "~n").

%% Terms print on one line, strings as strings: `~w` in Format stands for such a print.
log(Format, Args) -> io:format(lists:flatten(string:replace(Format, "~w", "~ts", all)) ++ "~n", [pp(clean(A)) || A <- Args]).
pp(T) -> io_lib:print(T, 1, 1000000, -1).

%% What a call or sys request returned, or how it exited (without the stack): {ok, V} | {exit, R}.
try_(F) -> try {ok, F()} catch exit:R -> {exit, R}; error:R -> {error, R} end.

%% Every message in the mailbox, taken, oldest first; waits `Ms` for stragglers.
flush(Ms) -> receive M -> [M | flush(Ms)] after Ms -> [] end.
log_mailbox(Ms) -> [log("recv ~w", [M]) || M <- flush(Ms)], ok.

%% sys:get_status's fourth element, as a list of what the scenarios compare.
status(P) ->
    {status, _, {module, Mod}, [PDict, SysState, Parent, _Debug, Misc]} = sys:get_status(P),
    [{module, Mod}, {sys_state, SysState}, {parent, Parent}, {ancestors, proplists:get_value('$ancestors', PDict)} | [misc(M) || M <- Misc]].

%% The header names the pid as text: shown as the scenario named it; a crashed format_status as `crashed`.
misc({header, "Status for generic server " ++ _}) -> {header, "Status for generic server"};
misc({header, "Status for state machine " ++ _}) -> {header, "Status for state machine"};
misc({data, [{"State", S}]}) when is_list(S) -> {data, [{"State", case lists:suffix("crashed", S) of true -> crashed; false -> S end}]};
misc(M) -> M.

%% Installs a debug function that logs each event as `event E`: what sys:trace prints, as data.
log_events(P) -> sys:install(P, {fun(Acc, Ev, _) -> log("event ~w", [Ev]), Acc end, ok}).
