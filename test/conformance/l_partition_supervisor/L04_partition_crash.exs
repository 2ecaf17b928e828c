# L04: a partition that crashes is restarted; the via name then reaches the new process.
Code.require_file("l_help.exs", __DIR__)
{:ok, _} = L.shards(P, 2)
before = GenServer.whereis({:via, PartitionSupervisor, {P, 1}})
ref = Process.monitor(before)
Process.exit(before, :boom)
receive do {:DOWN, ^ref, _, _, reason} -> T.show("reason", reason) end
:sys.get_state(P) # the supervisor has restarted it
later = GenServer.whereis({:via, PartitionSupervisor, {P, 1}})
T.show("restarted", is_pid(later) and later != before)
T.show("which", T.which(P, 1))
