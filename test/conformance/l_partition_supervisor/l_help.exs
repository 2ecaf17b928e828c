# Shared by the L scenarios: pid naming for the trace, and the partition child.
Logger.configure(level: :none) # crash reports are not part of the trace
defmodule T do
  def show(label, term), do: IO.puts("#{label}: #{inspect(term)}")

  def exit_of(fun) do
    try do
      fun.()
      :no_exit
    catch
      :exit, reason -> reason
    end
  end

  # The partition a via name routes to, as the partition's own answer.
  def which(name, key), do: GenServer.call({:via, PartitionSupervisor, {name, key}}, :which)
end

defmodule Shard do
  use GenServer
  def start_link(arg), do: GenServer.start_link(__MODULE__, arg)
  def init(arg), do: {:ok, arg}
  def handle_call(:which, _from, {_, partition} = s), do: {:reply, partition, s}
  def handle_call(:state, _from, s), do: {:reply, s, s}
  def handle_call(:hang, _from, s), do: {:noreply, s}
end

defmodule L do
  # A partition supervisor of Shards named `name`, each told its partition.
  def shards(name, partitions, extra \\ []) do
    PartitionSupervisor.start_link(
      [child_spec: {Shard, :shard}, name: name, partitions: partitions,
       with_arguments: fn [arg], partition -> [{arg, partition}] end] ++ extra
    )
  end
end
