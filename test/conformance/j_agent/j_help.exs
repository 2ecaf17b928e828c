# Shared by the J scenarios: prints one event per line, with pids replaced by the names the
# scenario gave them and stack traces dropped, so that a trace is the same from run to run.
defmodule J do
  Logger.configure(level: :none) # crash reports are not part of a trace

  def name(pid, as), do: Process.put({:name, pid}, as)

  def show(label, term), do: IO.puts("#{label} #{inspect(clean(term))}")

  # The reason a call exited with, without its {GenServer, :call, args} part (whose args hold a fun).
  def call_exit(fun) do
    try do
      {:returned, fun.()}
    catch
      :exit, {reason, {GenServer, op, _args}} -> {:exit, clean(reason), {GenServer, op}}
      :exit, reason -> {:exit, clean(reason)}
    end
  end

  def down(ref, timeout \\ 1000) do
    receive do
      {:DOWN, ^ref, :process, _pid, reason} -> {:DOWN, clean(reason)}
    after
      timeout -> :no_down
    end
  end

  def mailbox(timeout \\ 100) do
    receive do
      m -> [clean(m) | mailbox(timeout)]
    after
      timeout -> []
    end
  end

  def clean(pid) when is_pid(pid), do: Process.get({:name, pid}, :a_pid)
  # An exception with its stack: {exception, stack} becomes {exception_module, message}.
  def clean({%{__exception__: true} = e, stack}) when is_list(stack), do: {e.__struct__, Exception.message(e)}
  def clean(t) when is_tuple(t), do: t |> Tuple.to_list() |> Enum.map(&clean/1) |> List.to_tuple()
  def clean(l) when is_list(l), do: Enum.map(l, &clean/1)
  def clean(m) when is_map(m) and not is_struct(m), do: Map.new(m, fn {k, v} -> {k, clean(v)} end)
  def clean(f) when is_function(f), do: :a_fun
  def clean(other), do: other
end
