# L09: starting a server under a partition's via name finds the partition there: already_started.
Code.require_file("l_help.exs", __DIR__)
{:ok, _} = L.shards(P, 2)
p0 = GenServer.whereis({:via, PartitionSupervisor, {P, 0}})
{:error, {:already_started, pid}} = GenServer.start(Shard, {:x, 9}, name: {:via, PartitionSupervisor, {P, 0}})
T.show("already_started_is_partition", pid == p0)
