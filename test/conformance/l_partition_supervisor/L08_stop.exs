# L08: stop ends the partition supervisor and every partition, which exit with shutdown.
Code.require_file("l_help.exs", __DIR__)
Process.flag(:trap_exit, true)
{:ok, sup} = L.shards(P, 2)
p0 = GenServer.whereis({:via, PartitionSupervisor, {P, 0}})
ref = Process.monitor(p0)
T.show("stop", PartitionSupervisor.stop(P))
receive do {:DOWN, ^ref, _, _, reason} -> T.show("partition_reason", reason) end
receive do {:EXIT, ^sup, reason} -> T.show("sup_reason", reason) end
T.show("partitions_after", T.exit_of(fn -> PartitionSupervisor.partitions(P) end))
