%% The probe state machine every K scenario drives (included by each KNN_<title>.escript).
%%
%% start(Opts) starts it with Opts a map: mode (handle_event_function | state_functions),
%% enter (true for state enter calls), init (a fun returning init's result; default
%% {ok, s0, 0}). Every event and terminate is sent to the test process as a tuple, printed in
%% order by flush/0, one per line: the trace. A cast {do, Result} returns Result; a call
%% {do, Fun} returns Fun(From); an info {post, X} is postponed in state s0; an enter call returns
%% what the last {on_enter, Result} cast stored, or keep_state_and_data.
-behaviour(gen_statem).
-export([main/1, init/1, callback_mode/0, handle_event/4, s0/3, s1/3, s2/3, terminate/3]).
-mode(compile).
-compile([nowarn_unused_function, nowarn_unused_vars]).

start(Opts) ->
    logger:set_primary_config(level, none), % crash reports would make the trace depend on pids and times
    gen_statem:start(?MODULE, {self(), Opts}, []).

init({T, Opts}) ->
    put(test, T),
    put(mode, maps:get(mode, Opts, handle_event_function)),
    put(enter, maps:get(enter, Opts, false)),
    Init = maps:get(init, Opts, fun() -> {ok, s0, 0} end),
    Init().

callback_mode() ->
    case get(enter) of
        true -> [get(mode), state_enter];
        false -> get(mode)
    end.

%% From the machine, to the test process; from the test process (main), to itself.
log(X) -> case get(test) of undefined -> self(); T -> T end ! {trace, X}.

s0(T, C, D) -> handle_event(T, C, s0, D).
s1(T, C, D) -> handle_event(T, C, s1, D).
s2(T, C, D) -> handle_event(T, C, s2, D).

handle_event(enter, Old, S, D) ->
    log({enter, Old, S, D}),
    case erase(on_enter) of undefined -> keep_state_and_data; R -> R end;
handle_event({call, From}, {do, Fun}, S, D) -> log({call, S, D}), Fun(From);
handle_event(cast, {do, Result}, S, D) -> log({cast, S, D}), Result;
handle_event(cast, {on_enter, Result, Then}, S, D) -> log({cast, S, D}), put(on_enter, Result), Then;
handle_event(info, {post, X}, s0, _D) -> log({postpone, X}), {keep_state_and_data, [postpone]};
handle_event(Type, Content, S, _D) -> log({Type, Content, S}), keep_state_and_data.

terminate(Reason, S, D) -> log({terminate, Reason, S, D}).

%% Runs Fun(Pid) while the machine is suspended, so that everything Fun sends is queued before
%% the machine handles any of it, as ts-otp's synchronous sends are.
%% An exit reason without its stack trace, for a trace that does not depend on OTP's line numbers.
strip({Reason, [{_, _, _, _} | _]}) -> Reason;
strip(Reason) -> Reason.

queued(P, Fun) -> erlang:suspend_process(P), Fun(P), erlang:resume_process(P).

flush() ->
    receive
        {trace, X} -> io:format("~p~n", [X]), flush();
        {Tag, Reply} when is_reference(Tag) -> io:format("~p~n", [{reply_message, Reply}]), flush();
        Other -> io:format("~p~n", [{stray, Other}]), flush()
    after 300 -> ok
    end.

cast(P, Result) -> gen_statem:cast(P, {do, Result}).
