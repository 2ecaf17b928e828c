# L07: a call routed to a partition that does not answer times out; the partition stays.
Code.require_file("l_help.exs", __DIR__)
{:ok, _} = L.shards(P, 2)
pid = GenServer.whereis({:via, PartitionSupervisor, {P, 0}})
T.show("call", T.exit_of(fn -> GenServer.call({:via, PartitionSupervisor, {P, 0}}, :hang, 50) end) |> elem(0))
T.show("alive", Process.alive?(pid))
