# L12: a partition that keeps crashing exceeds the restart intensity: the partition supervisor
# exits with shutdown, taking every partition with it.
Code.require_file("l_help.exs", __DIR__)
Process.flag(:trap_exit, true)
{:ok, sup} = L.shards(P, 2, max_restarts: 1, max_seconds: 5)
other = GenServer.whereis({:via, PartitionSupervisor, {P, 1}})
ref = Process.monitor(other)
for _ <- 1..2 do
  victim = GenServer.whereis({:via, PartitionSupervisor, {P, 0}})
  Process.exit(victim, :boom)
  :timer.sleep(20)
end
receive do {:EXIT, ^sup, reason} -> T.show("sup_reason", reason) after 1000 -> T.show("sup_reason", :none) end
receive do {:DOWN, ^ref, _, _, reason} -> T.show("other_reason", reason) end
