# L06: a partition supervisor that is not running: partitions, whereis and call exit with noproc.
Code.require_file("l_help.exs", __DIR__)
T.show("partitions", T.exit_of(fn -> PartitionSupervisor.partitions(Nope) end))
T.show("whereis", T.exit_of(fn -> GenServer.whereis({:via, PartitionSupervisor, {Nope, 1}}) end))
T.show("call", T.exit_of(fn -> GenServer.call({:via, PartitionSupervisor, {Nope, 1}}, :which) end) |> elem(0))
T.show("alive", Process.alive?(self()))
