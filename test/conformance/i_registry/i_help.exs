# Shared by the I scenarios: prints terms with pids replaced by the names the scenario gave them.
Logger.configure(level: :none) # the crash reports are not part of the trace
defmodule T do
  def name(pid, n), do: Process.put({:name, pid}, n)

  def show(label, term) do
    text = inspect(term)
    text =
      Enum.reduce(Process.get(), text, fn
        {{:name, pid}, n}, acc -> String.replace(acc, inspect(pid), n)
        _, acc -> acc
      end)
    IO.puts("#{label}: #{text}")
  end

  # A process that runs the functions it is sent and answers with their results.
  def idle(trap \\ false) do
    spawn(fn ->
      Process.flag(:trap_exit, trap)
      loop()
    end)
  end

  defp loop do
    receive do
      {:run, from, ref, fun} ->
        send(from, {ref, fun.()})
        loop()
    end
  end

  def run(pid, fun) do
    ref = make_ref()
    send(pid, {:run, self(), ref, fun})
    receive do
      {^ref, value} -> value
    after
      2000 -> :no_answer
    end
  end

  def down(pid) do
    ref = Process.monitor(pid)
    receive do
      {:DOWN, ^ref, :process, _, reason} -> reason
    after
      2000 -> :no_down
    end
  end

  def await_down(ref) do
    receive do
      {:DOWN, ^ref, :process, _, reason} -> reason
    end
  end

  def mailbox do
    receive do
      msg -> [msg | mailbox()]
    after
      0 -> []
    end
  end
end

defmodule Counter do
  use GenServer
  def init(n), do: {:ok, n}
  def handle_call(:get, _from, n), do: {:reply, n, n}
  def handle_call(:hang, _from, n), do: {:noreply, n}
  def handle_cast(:add, n), do: {:noreply, n + 1}
end

defmodule Failing do
  use GenServer
  def init(reason), do: {:stop, reason}
end

defmodule C do
  # The exit reason of `fun`, or :no_exit: ExUnit's catch_exit, for scripts.
  def exit_of(fun) do
    try do
      fun.()
      :no_exit
    catch
      :exit, reason -> reason
    end
  end
end
