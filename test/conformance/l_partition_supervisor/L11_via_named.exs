# L11: a partition supervisor named by a Registry via name routes the same way.
Code.require_file("l_help.exs", __DIR__)
{:ok, _} = Registry.start_link(keys: :unique, name: Names)
name = {:via, Registry, {Names, "shards"}}
{:ok, sup} = L.shards(name, 2)
T.show("partitions", PartitionSupervisor.partitions(name))
T.show("routes", Enum.map([0, 1, 2, 3], &T.which(name, &1)))
T.show("lookup", Registry.lookup(Names, "shards") |> Enum.map(fn {pid, v} -> {pid == sup, v} end))
