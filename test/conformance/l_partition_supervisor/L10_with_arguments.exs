# L10: each partition starts with arguments made for its partition number.
Code.require_file("l_help.exs", __DIR__)
{:ok, _} = L.shards(P, 3)
T.show("states", Enum.map(0..2, fn p -> GenServer.call({:via, PartitionSupervisor, {P, p}}, :state) end))
