#!/usr/bin/env escript
%% The benchmark workloads of bench/workloads/*.ts in Erlang/OTP, on one scheduler, for comparison.
%%! +S 1:1 +P 4194304
%%
%% Usage: escript bench/erlang/bench.escript [workload ...]   (names as in bench/run.ts; all without one)
%% Prints "otp_release R schedulers_online S" then one line per workload: its name, the median figure in the unit the
%% Node side uses (ms, B/proc, hops/s, ns/msg, ...), then every run's figure. Like the Node
%% harness: one warm-up run, then the median of a few, with a garbage collection before each.
%% Compiled (-mode(compile)), not interpreted, so the figures are those of real Erlang code.
%% BENCH_SCALE (an integer or a decimal such as 0.01) multiplies the sizes of the overload
%% workloads (those sized with scaled/1), as it does on the Node side.
-module(bench).
-mode(compile).
%% The gen_server and supervisor callbacks of the call and supervisor workloads live here too.
-export([main/1, init/1, handle_call/3, handle_cast/2, start_flaky/0, start_idle/0]).

-define(SPAWN_N, 1000000).
-define(IDLE_N, 100000).
-define(RING_SIZE, 10000).
-define(RING_HOPS, 1000000).
-define(ROUND_TRIPS, 1000000).
-define(CHILDREN, 100000).
-define(CALLS, 1000000).
-define(RESTARTS, 20000).
-define(MANY, 10000).
-define(GROUP, 1000).
%% The overload workloads' processes that hold a long queue keep it off their heap, as Erlang
%% advises for such processes: with the default (on_heap) every garbage collection of the
%% process walks its queue, and a gen_server:call from a client with 100k unrelated messages
%% queued measured about 32 us of CPU instead of 1.4 us (the receive marker skips them either way).
-define(LONG_QUEUE, {message_queue_data, off_heap}).

main(Args) ->
    io:format("otp_release ~s schedulers_online ~p~n", [erlang:system_info(otp_release), erlang:system_info(schedulers_online)]),
    logger:set_primary_config(level, none), % the Node side runs with a silent logger too
    persistent_term:put(bench_scale, read_scale(os:getenv("BENCH_SCALE"))),
    All = ["spawn", "idle-memory", "ring", "ping-pong", "exit-fanout", "call-process", "sup-restarts", "sup-start-stop", "sup-one-for-all",
           "flood-then-drain-10k", "flood-then-drain-100k", "flood-then-drain-1m", "flood-then-drain-flatness",
           "casts-then-call", "call-with-unrelated-queue", "down-with-unrelated-queue",
           "down-fan-in", "dynsup-temporary-exit", "sup-child-ops-flatness", "dynsup-child-ops-flatness"],
    Selected = case Args of [] -> All; _ -> [W || W <- All, lists:member(W, Args)] end,
    lists:foreach(fun report/1, Selected).

report(Name) ->
    {Fun, Runs} = workload(Name),
    erlang:garbage_collect(),
    _ = Fun(),
    Figures = [begin erlang:garbage_collect(), Fun() end || _ <- lists:seq(1, Runs)],
    io:format("~s ~.3f ~s~n", [Name, median(Figures), string:join([io_lib:format("~.1f", [F]) || F <- Figures], " ")]).

workload("spawn") -> {fun spawn_finish/0, 3};
workload("idle-memory") -> {fun idle_memory/0, 3};
workload("ring") -> {fun ring/0, 5};
workload("ping-pong") -> {fun ping_pong/0, 5};
workload("exit-fanout") -> {fun exit_fanout/0, 5};
workload("call-process") -> {fun call_process/0, 5};
workload("sup-restarts") -> {fun sup_restarts/0, 3};
workload("sup-start-stop") -> {fun sup_start_stop/0, 3};
workload("sup-one-for-all") -> {fun sup_one_for_all/0, 3};
workload("flood-then-drain-10k") -> {fun() -> drain_per_message(scaled(10000)) end, 5};
workload("flood-then-drain-100k") -> {fun() -> drain_per_message(scaled(100000)) end, 5};
workload("flood-then-drain-1m") -> {fun() -> drain_per_message(scaled(1000000)) end, 5};
workload("flood-then-drain-flatness") ->
    {fun() -> Shallow = drain_per_message(scaled(10000)), drain_per_message(scaled(1000000)) / Shallow end, 5};
workload("casts-then-call") -> {fun casts_then_call/0, 5};
workload("call-with-unrelated-queue") -> {fun call_with_unrelated_queue/0, 5};
workload("down-with-unrelated-queue") -> {fun down_with_unrelated_queue/0, 5};
workload("down-fan-in") -> {fun down_fan_in/0, 5};
workload("dynsup-temporary-exit") -> {fun dynsup_temporary_exit/0, 3};
workload("sup-child-ops-flatness") -> {fun() -> child_ops_flatness(fun sup_child_ops/1) end, 3};
workload("dynsup-child-ops-flatness") -> {fun() -> child_ops_flatness(fun dynsup_child_ops/1) end, 3}.

read_scale(Unset) when Unset =:= false; Unset =:= "" -> 1;
read_scale(Text) ->
    Scale = case string:to_float(Text) of
                {F, ""} -> F;
                _ -> case string:to_integer(Text) of {I, ""} -> I; _ -> bad end
            end,
    case is_number(Scale) andalso Scale > 0 of
        true -> Scale;
        false -> error({'BENCH_SCALE wants a positive number such as 0.01', Text})
    end.

%% N times BENCH_SCALE, rounded, at least 1: the size an overload workload runs at.
scaled(N) -> max(1, round(N * persistent_term:get(bench_scale))).

median(Values) ->
    Sorted = lists:sort(Values),
    N = length(Sorted),
    case N rem 2 of
        1 -> lists:nth(N div 2 + 1, Sorted);
        0 -> (lists:nth(N div 2, Sorted) + lists:nth(N div 2 + 1, Sorted)) / 2
    end.

now_us() -> erlang:monotonic_time(microsecond).

ms_since(T0) -> (now_us() - T0) / 1000.

%% Waits, yielding to the processes being measured, until only `Count` processes are left.
wait_count(Count) ->
    case erlang:system_info(process_count) of
        Count -> ok;
        _ -> erlang:yield(), wait_count(Count)
    end.

%% Waits until `Pid` is blocked in receive; with one scheduler and a FIFO run queue, so are all
%% processes spawned before it.
wait_waiting(Pid) ->
    case erlang:process_info(Pid, status) of
        {status, waiting} -> ok;
        _ -> erlang:yield(), wait_waiting(Pid)
    end.

%% spawn-and-finish: 1M processes that return at once; time until all have exited.
spawn_finish() ->
    Base = erlang:system_info(process_count),
    T0 = now_us(),
    spawn_n(?SPAWN_N),
    wait_count(Base),
    ms_since(T0).

spawn_n(0) -> ok;
spawn_n(N) -> spawn(fun() -> ok end), spawn_n(N - 1).

%% Bytes per process blocked in receive: growth of the memory of all processes, over N.
idle_memory() ->
    M0 = erlang:memory(processes_used),
    Pids = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, ?IDLE_N)],
    wait_waiting(lists:last(Pids)),
    erlang:garbage_collect(),
    PerProcess = (erlang:memory(processes_used) - M0) / ?IDLE_N,
    [exit(P, kill) || P <- Pids],
    PerProcess.

%% A ring of 10k processes passing a counter 1M hops; hops per second.
ring() ->
    Self = self(),
    Pids = [spawn(fun() -> receive {next, Next} -> member(Next, Self) end end) || _ <- lists:seq(1, ?RING_SIZE)],
    [First | Rest] = Pids,
    lists:foreach(fun({P, Next}) -> P ! {next, Next} end, lists:zip(Pids, Rest ++ [First])),
    wait_waiting(lists:last(Pids)),
    T0 = now_us(),
    First ! ?RING_HOPS,
    receive done -> ok end,
    Elapsed = ms_since(T0),
    [exit(P, kill) || P <- Pids],
    ?RING_HOPS / Elapsed * 1000.

member(Next, Main) ->
    receive
        0 -> Main ! done;
        N -> Next ! N - 1, member(Next, Main)
    end.

%% Round trips between this process and an echoing one; round trips per second.
ping_pong() ->
    Ponger = spawn(fun pong/0),
    T0 = now_us(),
    ping(?ROUND_TRIPS, Ponger),
    Elapsed = ms_since(T0),
    exit(Ponger, kill),
    ?ROUND_TRIPS / Elapsed * 1000.

pong() ->
    receive From -> From ! pong, pong() end.

ping(0, _) -> ok;
ping(N, Ponger) ->
    Ponger ! self(),
    receive pong -> ping(N - 1, Ponger) end.

%% A hub linked to 100k waiting children exits abnormally; ms until all of them are dead.
exit_fanout() ->
    Self = self(),
    Base = erlang:system_info(process_count),
    Hub = spawn(fun() ->
                    Children = [spawn_link(fun() -> receive _ -> ok end end) || _ <- lists:seq(1, ?CHILDREN)],
                    Self ! {ready, lists:last(Children)},
                    receive die -> exit(boom) end
                end),
    Last = receive {ready, L} -> L end,
    wait_waiting(Last),
    T0 = now_us(),
    Hub ! die,
    wait_count(Base),
    ms_since(T0).

%% Sequential gen_server:call to a counter from this process; calls per second.
call_process() ->
    {ok, Pid} = gen_server:start(?MODULE, counter, []),
    T0 = now_us(),
    Last = call_n(?CALLS, Pid, 0),
    Elapsed = ms_since(T0),
    ?CALLS = Last,
    gen_server:stop(Pid),
    ?CALLS / Elapsed * 1000.

call_n(0, _, Last) -> Last;
call_n(N, Pid, _) -> call_n(N - 1, Pid, gen_server:call(Pid, {add, 1})).

%% gen_server callbacks (the counter) and supervisor callbacks (the trees below), told apart by init's argument.
init(counter) -> {ok, 0};
init({sup, Strategy, Intensity, Children}) -> {ok, {#{strategy => Strategy, intensity => Intensity, period => 5}, Children}};
init({long_queue, Sup}) -> process_flag(message_queue_data, off_heap), init(Sup).

handle_call({add, By}, _From, N) -> {reply, N + By, N + By};
handle_call(get, _From, N) -> {reply, N, N}.
handle_cast({add, By}, N) -> {noreply, N + By}.

%% A child that exits at once until the counter in the process dictionary of nobody... kept in an ets table.
start_flaky() ->
    N = ets:update_counter(bench_restarts, starts, 1),
    case N =< ?RESTARTS of
        true -> {ok, spawn_link(fun() -> exit(crash) end)};
        false ->
            [{main, Main}] = ets:lookup(bench_restarts, main),
            Main ! restarted_enough,
            {ok, spawn_link(fun() -> receive stop -> ok end end)}
    end.

start_idle() -> {ok, spawn_link(fun() -> receive stop -> ok end end)}.

%% Restarts per second of a child that crashes at start, under a one_for_one supervisor.
sup_restarts() ->
    ets:new(bench_restarts, [named_table, public]),
    ets:insert(bench_restarts, [{starts, 0}, {main, self()}]),
    Child = #{id => flaky, start => {?MODULE, start_flaky, []}},
    T0 = now_us(),
    {ok, Sup} = supervisor:start_link(?MODULE, {sup, one_for_one, 10 * ?RESTARTS, [Child]}),
    receive restarted_enough -> ok end,
    Elapsed = ms_since(T0),
    unlink(Sup),
    exit(Sup, shutdown),
    ets:delete(bench_restarts),
    ?RESTARTS / Elapsed * 1000.

idle_children(N) -> [#{id => I, start => {?MODULE, start_idle, []}} || I <- lists:seq(1, N)].

%% Start, then stop, a supervisor with 10k idle children; ms.
sup_start_stop() ->
    process_flag(trap_exit, true),
    T0 = now_us(),
    {ok, Sup} = supervisor:start_link(?MODULE, {sup, one_for_one, 1, idle_children(?MANY)}),
    exit(Sup, shutdown),
    receive {'EXIT', Sup, shutdown} -> ok end,
    process_flag(trap_exit, false),
    ms_since(T0).

%% A one_for_all restart of 1k idle children, until which_children answers; ms.
sup_one_for_all() ->
    process_flag(trap_exit, true),
    {ok, Sup} = supervisor:start_link(?MODULE, {sup, one_for_all, 10, idle_children(?GROUP)}),
    [{_, Victim, _, _} | _] = supervisor:which_children(Sup),
    T0 = now_us(),
    Ref = monitor(process, Victim),
    exit(Victim, crash),
    receive {'DOWN', Ref, process, Victim, _} -> ok end, % its EXIT is in the supervisor's queue by now
    [{_, New, _, _} | _] = supervisor:which_children(Sup), % answered once the restart is over
    true = New =/= Victim,
    Elapsed = ms_since(T0),
    exit(Sup, shutdown),
    receive {'EXIT', Sup, shutdown} -> ok end,
    process_flag(trap_exit, false),
    Elapsed.

%% flood-then-drain: ns per message taken with plain receive from a queue Depth deep, over 1M
%% messages in all (a shallow queue is filled and drained again and again).
drain_per_message(Depth) ->
    Rounds = max(1, round(scaled(1000000) / Depth)),
    Us = lists:sum([drain_once(Depth) || _ <- lists:seq(1, Rounds)]),
    Us * 1000 / (Rounds * Depth).

%% Queues Depth messages at a process held with suspend_process (as a Node process that has not
%% started yet: on one scheduler it would otherwise run between the sends), then lets it drain
%% them; microseconds from its first receive to its last.
drain_once(Depth) ->
    Self = self(),
    Drainer = spawn_opt(fun() ->
                            receive go -> ok end, % first in the queue: taken at once
                            T0 = now_us(),
                            drain(0, Depth),
                            Self ! {drained, now_us() - T0}
                        end, [link, ?LONG_QUEUE]),
    erlang:suspend_process(Drainer),
    Drainer ! go,
    flood(Drainer, 0, Depth),
    erlang:resume_process(Drainer),
    receive {drained, Us} -> Us end.

flood(_, N, N) -> ok;
flood(Pid, I, N) -> Pid ! I, flood(Pid, I + 1, N).

drain(N, N) -> ok;
drain(I, N) -> receive Msg -> I = Msg, drain(I + 1, N) end. % in order, or the drainer (and the run) crashes

%% casts-then-call: 100k casts queued at a counter, then a call; ns per cast from the first cast
%% to the reply. The server is held with suspend_process while the casts are sent, so they queue
%% up as they do behind a Node process that casts in one step.
casts_then_call() ->
    N = scaled(100000),
    {ok, Pid} = gen_server:start(?MODULE, counter, [{spawn_opt, [?LONG_QUEUE]}]),
    erlang:suspend_process(Pid),
    T0 = now_us(),
    cast_n(N, Pid),
    erlang:resume_process(Pid),
    N = gen_server:call(Pid, get, infinity), % every cast was handled before the call
    Elapsed = now_us() - T0,
    gen_server:stop(Pid),
    Elapsed * 1000 / N.

cast_n(0, _) -> ok;
cast_n(N, Pid) -> gen_server:cast(Pid, {add, 1}), cast_n(N - 1, Pid).

%% Runs Rounds(Rounds) in a client process that has first sent itself 100k integers it never
%% takes; microseconds per round. The client checks that they are all still queued after.
with_unrelated_queue(Rounds) ->
    Self = self(),
    Unrelated = scaled(100000),
    N = scaled(10000),
    spawn_opt(fun() ->
                  fill_self(Unrelated),
                  T0 = now_us(),
                  ok = Rounds(N),
                  Elapsed = now_us() - T0,
                  {message_queue_len, Unrelated} = process_info(self(), message_queue_len),
                  Self ! {rounds, Elapsed / N}
              end, [link, ?LONG_QUEUE]),
    receive {rounds, Us} -> Us end.

fill_self(0) -> ok;
fill_self(N) -> self() ! N, fill_self(N - 1).

%% call-with-unrelated-queue: sequential gen_server:call to a counter; us per call.
call_with_unrelated_queue() ->
    {ok, Pid} = gen_server:start(?MODULE, counter, []),
    Us = with_unrelated_queue(fun(N) -> N = call_n(N, Pid, 0), ok end),
    gen_server:stop(Pid),
    Us.

%% down-with-unrelated-queue: spawn, monitor, stop, receive the DOWN; us per round. The ref is
%% made in the function that receives on it, so the compiler sets a receive marker.
down_with_unrelated_queue() ->
    with_unrelated_queue(fun monitor_rounds/1).

monitor_rounds(0) -> ok;
monitor_rounds(N) ->
    Pid = spawn(fun() -> receive stop -> ok end end),
    Ref = monitor(process, Pid),
    Pid ! stop,
    receive {'DOWN', Ref, process, Pid, Reason} -> normal = Reason end,
    monitor_rounds(N - 1).

%% down-fan-in: a collector monitors 100k waiting processes, kills them all and receives every
%% DOWN with plain receive; ms from the first kill to the last DOWN.
down_fan_in() ->
    Self = self(),
    N = scaled(100000),
    Collector = spawn_opt(fun() ->
                              Pids = [element(1, spawn_monitor(fun() -> receive _ -> ok end end)) || _ <- lists:seq(1, N)],
                              Self ! {ready, lists:last(Pids)},
                              receive go -> ok end,
                              T0 = now_us(),
                              lists:foreach(fun(Pid) -> exit(Pid, kill) end, Pids),
                              collect_downs(N),
                              Self ! {collected, ms_since(T0)}
                          end, [link, ?LONG_QUEUE]),
    Last = receive {ready, L} -> L end,
    wait_waiting(Last),
    Collector ! go,
    receive {collected, Ms} -> Ms end.

collect_downs(0) -> ok;
collect_downs(N) -> receive Msg -> {'DOWN', _, process, _, killed} = Msg, collect_downs(N - 1) end.

%% dynsup-temporary-exit: a simple_one_for_one supervisor (what Elixir's DynamicSupervisor is to
%% OTP) with 50k temporary children, each told to stop; ms from the first stop until
%% count_children says none is active.
dynsup_temporary_exit() ->
    N = scaled(50000),
    process_flag(trap_exit, true),
    Template = #{id => worker, start => {?MODULE, start_idle, []}, restart => temporary},
    {ok, Sup} = supervisor:start_link(?MODULE, {long_queue, {sup, simple_one_for_one, 1, [Template]}}),
    Children = [begin {ok, Pid} = supervisor:start_child(Sup, []), Pid end || _ <- lists:seq(1, N)],
    wait_waiting(lists:last(Children)),
    N = active_children(Sup),
    T0 = now_us(),
    lists:foreach(fun(Pid) -> Pid ! stop end, Children),
    wait_no_children(Sup),
    Elapsed = ms_since(T0),
    exit(Sup, shutdown),
    receive {'EXIT', Sup, shutdown} -> ok end,
    process_flag(trap_exit, false),
    Elapsed.

active_children(Sup) -> proplists:get_value(active, supervisor:count_children(Sup)).

wait_no_children(Sup) ->
    case active_children(Sup) of
        0 -> ok;
        _ -> wait_no_children(Sup)
    end.

%% sup-child-ops-flatness and dynsup-child-ops-flatness: µs per child operation under a supervisor
%% of 100k children divided by the same under one of 100 (see bench/workloads/supervisor_scale.ts).
child_ops_flatness(Ops) ->
    Small = Ops(100),
    Ops(scaled(100000)) / Small.

child_ops() -> scaled(20000).

%% terminate_child + restart_child by id under a one_for_one supervisor of Size children.
sup_child_ops(Size) ->
    process_flag(trap_exit, true),
    {ok, Sup} = supervisor:start_link(?MODULE, {sup, one_for_one, 1, idle_children(Size)}),
    Ops = child_ops(),
    Step = Size div 100,
    T0 = now_us(),
    lists:foreach(fun(I) ->
                          Id = (I rem 100) * Step + 1,
                          ok = supervisor:terminate_child(Sup, Id),
                          {ok, _} = supervisor:restart_child(Sup, Id)
                  end, lists:seq(0, Ops - 1)),
    Us = (now_us() - T0) / Ops,
    exit(Sup, shutdown),
    receive {'EXIT', Sup, shutdown} -> ok end,
    process_flag(trap_exit, false),
    Us.

%% start_child + terminate_child by pid under a simple_one_for_one supervisor of Size children.
dynsup_child_ops(Size) ->
    process_flag(trap_exit, true),
    Template = #{id => worker, start => {?MODULE, start_idle, []}, restart => temporary},
    {ok, Sup} = supervisor:start_link(?MODULE, {sup, simple_one_for_one, 1, [Template]}),
    lists:foreach(fun(_) -> {ok, _} = supervisor:start_child(Sup, []) end, lists:seq(1, Size)),
    Ops = child_ops(),
    T0 = now_us(),
    lists:foreach(fun(_) ->
                          {ok, Pid} = supervisor:start_child(Sup, []),
                          ok = supervisor:terminate_child(Sup, Pid)
                  end, lists:seq(1, Ops)),
    Us = (now_us() - T0) / Ops,
    exit(Sup, shutdown),
    receive {'EXIT', Sup, shutdown} -> ok end,
    process_flag(trap_exit, false),
    Us.
